"""The data contract: vocabularies, columns, the schema and checks every dataset folder must pass."""
