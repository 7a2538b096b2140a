"""Initial schema: tokens, audit, scenarios, survey versions, jobs, plans.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from api.core.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(100)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime()),
    )
    op.create_index("ix_tokens_secret_hash", "tokens", ["secret_hash"], unique=True)
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("token_id", sa.String(32)),
        sa.Column("role", sa.String(120)),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("duration_ms", sa.Float, nullable=False),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_token_id", "audit", ["token_id"])
    op.create_table(
        "scenarios",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("folder", sa.Text, nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("has_survey", sa.Boolean, nullable=False),
        sa.Column("member_ids", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(32)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_scenarios_created_at", "scenarios", ["created_at"])
    op.create_table(
        "survey_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(32), sa.ForeignKey("scenarios.id"), nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("rows", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(32)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("scenario_id", "member_id", "version"),
    )
    op.create_index("ix_survey_versions_scenario_id", "survey_versions", ["scenario_id"])
    op.create_index("ix_survey_versions_member_id", "survey_versions", ["member_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("scenario_id", sa.String(32), sa.ForeignKey("scenarios.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("survey_versions", sa.JSON, nullable=False),
        sa.Column("folder", sa.Text, nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("best_value", sa.Float),
        sa.Column("bound", sa.Float),
        sa.Column("elapsed", sa.Float, nullable=False),
        sa.Column("pid", sa.Integer),
        sa.Column("pid_started", sa.Float),
        sa.Column("stop_requested", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("plan_id", sa.String(32)),
        sa.Column("created_by", sa.String(32)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime()),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("heartbeat_at", UTCDateTime()),
    )
    op.create_index("ix_jobs_scenario_id", "jobs", ["scenario_id"])
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"])
    op.create_table(
        "plans",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("scenario_id", sa.String(32), sa.ForeignKey("scenarios.id"), nullable=False),
        sa.Column("job_id", sa.String(32)),
        sa.Column("folder", sa.Text, nullable=False),
        sa.Column("solver", sa.String(32), nullable=False),
        sa.Column("solver_version", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("solve_seconds", sa.Float, nullable=False),
        sa.Column("stages", sa.JSON, nullable=False),
        sa.Column("kpis", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_plans_scenario_id", "plans", ["scenario_id"])
    op.create_index("ix_plans_created_at", "plans", ["created_at"])


def downgrade() -> None:
    for table in ("plans", "jobs", "survey_versions", "scenarios", "audit", "tokens"):
        op.drop_table(table)
