"""Member survey workbooks: the template members fill, and the merge of their answers.

- :func:`planner.survey.template.write_template` — the workbook for the network or one member;
- :func:`planner.survey.merge.merge_workbooks` / :func:`~planner.survey.merge.merge_to_csv` —
  filled workbooks (and CSV files) validated and merged into one ``survey.csv``.
"""

from planner.survey.merge import MergeResult, merge_to_csv, merge_workbooks, write_survey_csv
from planner.survey.template import build_template, write_template

__all__ = ["MergeResult", "build_template", "merge_to_csv", "merge_workbooks", "write_survey_csv", "write_template"]
