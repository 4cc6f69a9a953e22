"""Reading, validating and writing a dataset folder into typed frames."""
