"""Importers that turn UCDP GED and ACLED exports (files or APIs) into dataset folders."""
