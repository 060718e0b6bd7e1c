"""Plans (kế hoạch công tác thi đua, khen thưởng): the plan records (`records`), the importer
(`importing`) with its pure document parser (`parser`), and the units a plan names (`units`).
The tasks a plan holds are the `app.services.tasks` feature."""
