"""core's one model: the lock that keeps a scheduled job from running twice at once (jobs.py)."""

from django.db import models


class JobLock(models.Model):
    """A scheduled job holds its lock while this row exists: the primary key makes a second
    INSERT of the same name fail in every process on every machine that shares the database.
    A lock whose `expires_at` has passed is stale (its job crashed or was killed) and is taken
    over by the next run."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=200, help_text="host, process id and a random token")
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at.isoformat()}"
