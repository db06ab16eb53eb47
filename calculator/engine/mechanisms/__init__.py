"""The rules language's mechanisms, one module each (Publicodes-style): activities
(conversions, exclusions, deadlines, caps), carry-over, requirements, exceptions,
catch-up (makeup), the title application, fees and the plan to close a gap.

Each takes the evaluation's shared state (`state.Evaluation`) and returns data; the
wording of every trace line comes from `calculator.engine.words`.
"""
