"""The questionnaire engine: packs, answers, the interview state and the assessment.

Pure Python: nothing here imports a UI or PDF library (a test enforces it), so every
front end drives the same objects.
"""
