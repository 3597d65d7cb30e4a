"""Audit many sites: one after another in this process, or spread over Celery workers
(``fleetaudit worker`` / ``fleetaudit run --all --dispatch celery``).

One task audits one whole site (cross-device checks need every device of it) through
:func:`fleetaudit.api.audit_site`; the dispatcher gathers every site's report and merges
them into one. A site whose worker was lost more often than the redelivery bound, or that
no worker finished in time, is in the merged report as not assessed (exit 4), never lost.
"""
