"""Batch checking for HR units: staff sheets (CSV, XLSX) read into cases, evaluated by the
engine, written back as result tables and title applicants' summaries; templates to fill in.
"""
