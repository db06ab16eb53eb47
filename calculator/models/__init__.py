"""What the data is: rule files, cases and results as pydantic models, the facts a rule may
test, old formats migrated on load, JSON Schemas, and validation problems in Chinese.
"""
