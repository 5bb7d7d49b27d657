"""Transform: build and test the dbt project (`transforms/`) on the warehouse.

`flows.transform.dbt.run_dbt` is the entry point the flows, the CLI and the tests call.
"""
