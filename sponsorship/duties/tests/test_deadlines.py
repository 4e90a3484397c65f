"""When each reporting clock starts and when the report falls due, for every kind of event, in
every part of the UK, across the bank holidays that move a deadline.

Every expected date was counted by hand on a calendar from the published bank holidays
(gov.uk/bank-holidays; the lists are in sponsorship/core/tests/test_workingdays.py), never read
back from the code. DOMAIN.md "Reporting duties": day 1 is the first working day after the
clock starts; a report is due 10 working days after it (20 for an organisation change).

The bank holidays the counts below step over:
- England and Wales: 2025: 1 Jan, 18 and 21 Apr, 5 and 26 May, 25 Aug, 25 and 26 Dec.
  2026: 1 Jan, 3 and 6 Apr, 4 and 25 May, 31 Aug, 25 and 28 Dec (Boxing Day is a Saturday).
  2027: 1 Jan, 26 and 29 Mar, 3 and 31 May, 30 Aug, 27 and 28 Dec (both at the weekend).
  2028: 3 Jan (New Year's Day is a Saturday).
- Scotland: no Easter Monday; 2 January (4 Jan 2027 and 4 Jan 2028 as substitutes); the summer
  holiday on the first Monday of August (4 Aug 2025, 3 Aug 2026, 2 Aug 2027) instead of the
  last; St Andrew's Day, 30 November (1 Dec 2025, a Sunday's substitute; 30 Nov 2026 a Monday;
  30 Nov 2027 a Tuesday).
- Northern Ireland: the England and Wales days, plus St Patrick's Day (17 Mar 2025, 17 Mar 2026,
  17 Mar 2027) and 12 July (14 Jul 2025 and 13 Jul 2026 as substitutes; 12 Jul 2027 a Monday).
"""

from datetime import date
from types import SimpleNamespace

import pytest

from sponsorship.core.rules import RULES, Rule, RuleRow
from sponsorship.duties.deadlines import (
    absence_is_reportable,
    clock_start,
    did_not_start_window_end,
    due_date,
    enrolment_window_end,
)
from sponsorship.duties.kinds import EventKind
from sponsorship.licences.models import OrganisationChange
from sponsorship.licences.services.requests import report_due_date

ENG, WLS, SCT, NIR = "ENG", "WLS", "SCT", "NIR"

DID_NOT_START = EventKind.DID_NOT_START
ABSENCE = EventKind.ABSENCE
UNPAID_LEAVE = EventKind.UNPAID_LEAVE
SALARY_REDUCED = EventKind.SALARY_REDUCED
JOB_CHANGED = EventKind.JOB_CHANGED
LOCATION_CHANGED = EventKind.LOCATION_CHANGED
SPONSORSHIP_STOPPED = EventKind.SPONSORSHIP_STOPPED
OFFSHORE = EventKind.OFFSHORE
BREACH_SUSPECTED = EventKind.BREACH_SUSPECTED
ORGANISATION_CHANGE = EventKind.ORGANISATION_CHANGE
DID_NOT_ENROL = EventKind.DID_NOT_ENROL
STOPPED_ENGAGING = EventKind.STOPPED_ENGAGING
STUDIES_STOPPED = EventKind.STUDIES_STOPPED
STUDIES_PAUSED = EventKind.STUDIES_PAUSED
COMPLETED_EARLY = EventKind.COMPLETED_EARLY
STUDENT_SPONSORSHIP_ENDED = EventKind.STUDENT_SPONSORSHIP_ENDED
GRADUATED = EventKind.GRADUATED

# (kind, event date, nation, clock starts, due), with the count written out.
CASES = [
    # ---------------------------------------------------------------- the event itself
    # Mon 16 Nov 2026: 17-20 (4), 23-27 (9), Mon 30 Nov (10).
    (SALARY_REDUCED, date(2026, 11, 16), ENG, date(2026, 11, 16), date(2026, 11, 30)),
    (SALARY_REDUCED, date(2026, 11, 16), WLS, date(2026, 11, 16), date(2026, 11, 30)),
    (SALARY_REDUCED, date(2026, 11, 16), NIR, date(2026, 11, 16), date(2026, 11, 30)),
    # Scotland: 30 Nov is St Andrew's Day, so day 10 is Tue 1 Dec.
    (SALARY_REDUCED, date(2026, 11, 16), SCT, date(2026, 11, 16), date(2026, 12, 1)),
    # An event on a Saturday starts the clock that day: 23-27 Nov (5), 30 Nov-4 Dec (10).
    (SALARY_REDUCED, date(2026, 11, 21), ENG, date(2026, 11, 21), date(2026, 12, 4)),
    # Christmas 2025 (Thu 25, Fri 26) and New Year: Fri 19 Dec: 22-24 (3), 29-31 (6),
    # 1 Jan closed, Fri 2 Jan (7), 5-7 Jan (10).
    (LOCATION_CHANGED, date(2025, 12, 19), ENG, date(2025, 12, 19), date(2026, 1, 7)),
    (LOCATION_CHANGED, date(2025, 12, 19), NIR, date(2025, 12, 19), date(2026, 1, 7)),
    # ...Scotland also closes Fri 2 Jan: 22-24 (3), 29-31 (6), 5-8 Jan (10).
    (LOCATION_CHANGED, date(2025, 12, 19), SCT, date(2025, 12, 19), date(2026, 1, 8)),
    # Christmas 2026: Fri 25 and Mon 28 (Boxing Day's substitute), Fri 1 Jan 2027.
    # Fri 18 Dec: 21-24 (4), 29-31 (7), Mon 4 Jan (8), 5 (9), 6 (10).
    (JOB_CHANGED, date(2026, 12, 18), ENG, date(2026, 12, 18), date(2027, 1, 6)),
    (JOB_CHANGED, date(2026, 12, 18), WLS, date(2026, 12, 18), date(2027, 1, 6)),
    (JOB_CHANGED, date(2026, 12, 18), NIR, date(2026, 12, 18), date(2027, 1, 6)),
    # ...Scotland closes Mon 4 Jan (2 January's substitute): 5 (8), 6 (9), 7 (10).
    (JOB_CHANGED, date(2026, 12, 18), SCT, date(2026, 12, 18), date(2027, 1, 7)),
    # Christmas 2027: both days at the weekend, so Mon 27 and Tue 28 Dec close, and Mon 3 Jan
    # 2028 for New Year's Day. Fri 17 Dec: 20-24 (5), 29-31 (8), Tue 4 Jan (9), Wed 5 (10).
    (SPONSORSHIP_STOPPED, date(2027, 12, 17), ENG, date(2027, 12, 17), date(2028, 1, 5)),
    (SPONSORSHIP_STOPPED, date(2027, 12, 17), NIR, date(2027, 12, 17), date(2028, 1, 5)),
    # ...Scotland also closes Tue 4 Jan 2028 (2 January's substitute): 5 (9), 6 (10).
    (SPONSORSHIP_STOPPED, date(2027, 12, 17), SCT, date(2027, 12, 17), date(2028, 1, 6)),
    # Easter 2025 (Good Friday 18 Apr, Easter Monday 21 Apr). Wed 16 Apr: 17 (1), 22-25 (5),
    # 28-30 (8), 1 May (9), 2 May (10).
    (SALARY_REDUCED, date(2025, 4, 16), ENG, date(2025, 4, 16), date(2025, 5, 2)),
    # ...Scotland works Easter Monday: 17 (1), 21-25 (6), 28-30 (9), 1 May (10).
    (SALARY_REDUCED, date(2025, 4, 16), SCT, date(2025, 4, 16), date(2025, 5, 1)),
    # Easter 2026 (3 and 6 Apr). Thu 2 Apr: 7-10 (4), 13-17 (9), Mon 20 (10).
    (OFFSHORE, date(2026, 4, 2), ENG, date(2026, 4, 2), date(2026, 4, 20)),
    (OFFSHORE, date(2026, 4, 2), WLS, date(2026, 4, 2), date(2026, 4, 20)),
    (OFFSHORE, date(2026, 4, 2), NIR, date(2026, 4, 2), date(2026, 4, 20)),
    # ...Scotland: Mon 6 (1), 7-10 (5), 13-17 (10).
    (OFFSHORE, date(2026, 4, 2), SCT, date(2026, 4, 2), date(2026, 4, 17)),
    # Easter 2027 (26 and 29 Mar). Thu 25 Mar: 30 Mar-2 Apr (4), 5-9 (9), Mon 12 (10).
    (JOB_CHANGED, date(2027, 3, 25), NIR, date(2027, 3, 25), date(2027, 4, 12)),
    # ...Scotland: 29 Mar-2 Apr (5), 5-9 (10).
    (JOB_CHANGED, date(2027, 3, 25), SCT, date(2027, 3, 25), date(2027, 4, 9)),
    # St Andrew's Day 2025, a Sunday: Scotland closes Mon 1 Dec. Fri 21 Nov: 24-28 (5),
    # 2-5 Dec (9), Mon 8 (10).
    (LOCATION_CHANGED, date(2025, 11, 21), SCT, date(2025, 11, 21), date(2025, 12, 8)),
    # ...elsewhere 1 Dec is a working day: 24-28 (5), 1-5 Dec (10).
    (LOCATION_CHANGED, date(2025, 11, 21), ENG, date(2025, 11, 21), date(2025, 12, 5)),
    # St Andrew's Day 2027, a Tuesday. Mon 22 Nov: 23-26 (4), 29 (5), 1-3 Dec (8), 6 (9), 7 (10).
    (OFFSHORE, date(2027, 11, 22), SCT, date(2027, 11, 22), date(2027, 12, 7)),
    # ...England: 23-26 (4), 29-30 (6), 1-3 Dec (9), Mon 6 (10).
    (OFFSHORE, date(2027, 11, 22), ENG, date(2027, 11, 22), date(2027, 12, 6)),
    # St Patrick's Day 2025, a Monday. Fri 14 Mar: 18-21 (4), 24-28 (9), Mon 31 (10).
    (SALARY_REDUCED, date(2025, 3, 14), NIR, date(2025, 3, 14), date(2025, 3, 31)),
    # ...England: 17-21 (5), 24-28 (10).
    (SALARY_REDUCED, date(2025, 3, 14), ENG, date(2025, 3, 14), date(2025, 3, 28)),
    # St Patrick's Day 2026, a Tuesday. Mon 9 Mar: 10-13 (4), 16 (5), 18-20 (8), 23 (9), 24 (10).
    (SALARY_REDUCED, date(2026, 3, 9), NIR, date(2026, 3, 9), date(2026, 3, 24)),
    # ...England: 10-13 (4), 16-20 (9), 23 (10).
    (SALARY_REDUCED, date(2026, 3, 9), ENG, date(2026, 3, 9), date(2026, 3, 23)),
    # 12 July 2025, a Saturday: Northern Ireland closes Mon 14. Fri 11 Jul: 15-18 (4),
    # 21-25 (9), Mon 28 (10).
    (LOCATION_CHANGED, date(2025, 7, 11), NIR, date(2025, 7, 11), date(2025, 7, 28)),
    # ...England: 14-18 (5), 21-25 (10).
    (LOCATION_CHANGED, date(2025, 7, 11), ENG, date(2025, 7, 11), date(2025, 7, 25)),
    # 12 July 2026, a Sunday: Northern Ireland closes Mon 13. Fri 10 Jul: 14-17 (4),
    # 20-24 (9), Mon 27 (10).
    (JOB_CHANGED, date(2026, 7, 10), NIR, date(2026, 7, 10), date(2026, 7, 27)),
    # ...Scotland: 13-17 (5), 20-24 (10).
    (JOB_CHANGED, date(2026, 7, 10), SCT, date(2026, 7, 10), date(2026, 7, 24)),
    # 12 July 2027, a Monday. Fri 9 Jul: 13-16 (4), 19-23 (9), Mon 26 (10).
    (SPONSORSHIP_STOPPED, date(2027, 7, 9), NIR, date(2027, 7, 9), date(2027, 7, 26)),
    # ...Wales: 12-16 (5), 19-23 (10).
    (SPONSORSHIP_STOPPED, date(2027, 7, 9), WLS, date(2027, 7, 9), date(2027, 7, 23)),
    # Early August: Scotland closes the first Monday (4 Aug 2025). Fri 1 Aug: 5-8 (4),
    # 11-15 (9), Mon 18 (10).
    (OFFSHORE, date(2025, 8, 1), SCT, date(2025, 8, 1), date(2025, 8, 18)),
    # ...England works it: 4-8 (5), 11-15 (10).
    (OFFSHORE, date(2025, 8, 1), ENG, date(2025, 8, 1), date(2025, 8, 15)),
    # Late August: the rest close the last Monday (25 Aug 2025). Fri 22 Aug: 26-29 (4),
    # 1-5 Sep (9), Mon 8 (10).
    (OFFSHORE, date(2025, 8, 22), NIR, date(2025, 8, 22), date(2025, 9, 8)),
    # ...Scotland works it: 25-29 (5), 1-5 Sep (10).
    (OFFSHORE, date(2025, 8, 22), SCT, date(2025, 8, 22), date(2025, 9, 5)),
    # 2026: Scotland 3 Aug. Fri 31 Jul: 4-7 (4), 10-14 (9), Mon 17 (10).
    (SALARY_REDUCED, date(2026, 7, 31), SCT, date(2026, 7, 31), date(2026, 8, 17)),
    # ...England: 3-7 (5), 10-14 (10).
    (SALARY_REDUCED, date(2026, 7, 31), ENG, date(2026, 7, 31), date(2026, 8, 14)),
    # 2026: the rest 31 Aug. Fri 21 Aug: 24-28 (5), 1-4 Sep (9), Mon 7 (10).
    (SALARY_REDUCED, date(2026, 8, 21), ENG, date(2026, 8, 21), date(2026, 9, 7)),
    # ...Scotland: 24-28 (5), 31 Aug-4 Sep (10).
    (SALARY_REDUCED, date(2026, 8, 21), SCT, date(2026, 8, 21), date(2026, 9, 4)),
    # 2027: the rest 30 Aug. Fri 27 Aug: 31 Aug-3 Sep (4), 6-10 (9), Mon 13 (10).
    (JOB_CHANGED, date(2027, 8, 27), WLS, date(2027, 8, 27), date(2027, 9, 13)),
    # ...Scotland: 30 Aug-3 Sep (5), 6-10 (10).
    (JOB_CHANGED, date(2027, 8, 27), SCT, date(2027, 8, 27), date(2027, 9, 10)),
    # Unpaid leave: the clock starts the day the limit was passed. Thu 24 Dec 2026: 29-31 (3),
    # Mon 4 Jan (4), 5-8 (8), 11 (9), 12 (10).
    (UNPAID_LEAVE, date(2026, 12, 24), ENG, date(2026, 12, 24), date(2027, 1, 12)),
    # ...Scotland closes 4 Jan: 29-31 (3), 5-8 (7), 11-13 (10).
    (UNPAID_LEAVE, date(2026, 12, 24), SCT, date(2026, 12, 24), date(2027, 1, 13)),
    # ---------------------------------------------------------------- did not start
    # The event date is the latest start trigger; the clock starts 28 calendar days later.
    # Mon 2 Nov 2026 + 28 = Mon 30 Nov: 1-4 Dec (4), 7-11 (9), Mon 14 (10). In Scotland 30 Nov
    # is St Andrew's Day, but the clock's own day is never counted, so the same.
    (DID_NOT_START, date(2026, 11, 2), ENG, date(2026, 11, 30), date(2026, 12, 14)),
    (DID_NOT_START, date(2026, 11, 2), SCT, date(2026, 11, 30), date(2026, 12, 14)),
    # Thu 27 Nov 2025 + 28 = Thu 25 Dec: 29-31 (3), Fri 2 Jan (4), 5-9 (9), Mon 12 (10).
    (DID_NOT_START, date(2025, 11, 27), ENG, date(2025, 12, 25), date(2026, 1, 12)),
    (DID_NOT_START, date(2025, 11, 27), NIR, date(2025, 12, 25), date(2026, 1, 12)),
    # ...Scotland closes 2 Jan: 29-31 (3), 5-9 (8), 12 (9), 13 (10).
    (DID_NOT_START, date(2025, 11, 27), SCT, date(2025, 12, 25), date(2026, 1, 13)),
    # Fri 27 Nov 2026 + 28 = Fri 25 Dec: 29-31 (3), Mon 4 Jan (4), 5-8 (8), 11 (9), 12 (10).
    (DID_NOT_START, date(2026, 11, 27), ENG, date(2026, 12, 25), date(2027, 1, 12)),
    # ...Scotland closes 4 Jan: 29-31 (3), 5-8 (7), 11-13 (10).
    (DID_NOT_START, date(2026, 11, 27), SCT, date(2026, 12, 25), date(2027, 1, 13)),
    # Mon 29 Nov 2027 + 28 = Mon 27 Dec: 29-31 (3), Tue 4 Jan 2028 (4), 5-7 (7), 10-12 (10).
    (DID_NOT_START, date(2027, 11, 29), ENG, date(2027, 12, 27), date(2028, 1, 12)),
    # ...Scotland closes 3 and 4 Jan: 29-31 (3), 5-7 (6), 10-13 (10).
    (DID_NOT_START, date(2027, 11, 29), SCT, date(2027, 12, 27), date(2028, 1, 13)),
    # Fri 26 Feb 2027 + 28 (February has 28 days) = Fri 26 Mar, Good Friday. Northern Ireland
    # closes Easter Monday: 30 Mar-2 Apr (4), 5-9 (9), Mon 12 (10).
    (DID_NOT_START, date(2027, 2, 26), NIR, date(2027, 3, 26), date(2027, 4, 12)),
    # ...Scotland works it: 29 Mar-2 Apr (5), 5-9 (10).
    (DID_NOT_START, date(2027, 2, 26), SCT, date(2027, 3, 26), date(2027, 4, 9)),
    # ---------------------------------------------------------------- absence
    # The event date is the first day absent; the clock starts on the 10th working day of the
    # absence, the first day counted as day 1 when it is a working day.
    # Mon 16 Nov 2026: 16-20 (5), 23-27 (10): Fri 27 Nov. Then 30 Nov-4 Dec (5), 7-11 (10).
    (ABSENCE, date(2026, 11, 16), ENG, date(2026, 11, 27), date(2026, 12, 11)),
    # ...Scotland: the clock starts the same day, but 30 Nov is closed: 1-4 Dec (4),
    # 7-11 (9), Mon 14 (10).
    (ABSENCE, date(2026, 11, 16), SCT, date(2026, 11, 27), date(2026, 12, 14)),
    # A first day on a Saturday is not day 1: Mon 16 Nov is.
    (ABSENCE, date(2026, 11, 14), ENG, date(2026, 11, 27), date(2026, 12, 11)),
    # St Andrew's Day inside the absence: Mon 23 Nov 2026: 23-27 (5), 1-4 Dec (9), Mon 7 (10).
    # Then 8-11 (4), 14-18 (9), Mon 21 (10).
    (ABSENCE, date(2026, 11, 23), SCT, date(2026, 12, 7), date(2026, 12, 21)),
    # ...England: 23-27 (5), 30 Nov-4 Dec (10): Fri 4 Dec. Then 7-11 (5), 14-18 (10).
    (ABSENCE, date(2026, 11, 23), ENG, date(2026, 12, 4), date(2026, 12, 18)),
    # Christmas 2025: Mon 15 Dec: 15-19 (5), 22-24 (8), 29 (9), 30 (10): Tue 30 Dec.
    # Then 31 (1), Fri 2 Jan (2), 5-9 (7), 12-14 (10).
    (ABSENCE, date(2025, 12, 15), ENG, date(2025, 12, 30), date(2026, 1, 14)),
    # ...Scotland closes 2 Jan: 31 (1), 5-9 (6), 12-15 (10).
    (ABSENCE, date(2025, 12, 15), SCT, date(2025, 12, 30), date(2026, 1, 15)),
    # Christmas 2026: Mon 14 Dec: 14-18 (5), 21-24 (9), Tue 29 (10). Then 30-31 (2),
    # 4-8 Jan (7), 11-13 (10).
    (ABSENCE, date(2026, 12, 14), ENG, date(2026, 12, 29), date(2027, 1, 13)),
    (ABSENCE, date(2026, 12, 14), NIR, date(2026, 12, 29), date(2027, 1, 13)),
    # ...Scotland closes 4 Jan: 30-31 (2), 5-8 (6), 11-14 (10).
    (ABSENCE, date(2026, 12, 14), SCT, date(2026, 12, 29), date(2027, 1, 14)),
    # Easter 2026: Mon 30 Mar: 30 Mar-2 Apr (4), 7-10 (8), 13 (9), 14 (10): Tue 14 Apr.
    # Then 15-17 (3), 20-24 (8), 27 (9), 28 (10).
    (ABSENCE, date(2026, 3, 30), ENG, date(2026, 4, 14), date(2026, 4, 28)),
    (ABSENCE, date(2026, 3, 30), WLS, date(2026, 4, 14), date(2026, 4, 28)),
    # ...Scotland works Easter Monday: 30 Mar-2 Apr (4), 6-10 (9), 13 (10): Mon 13 Apr.
    # Then 14-17 (4), 20-24 (9), 27 (10).
    (ABSENCE, date(2026, 3, 30), SCT, date(2026, 4, 13), date(2026, 4, 27)),
    # St Patrick's Day and Easter 2027 in Northern Ireland: Mon 8 Mar: 8-12 (5), 15-16 (7),
    # 18-19 (9), Mon 22 (10). Then 23-25 (3), 30 Mar-2 Apr (7), 5-7 (10).
    (ABSENCE, date(2027, 3, 8), NIR, date(2027, 3, 22), date(2027, 4, 7)),
    # ...England: 8-12 (5), 15-19 (10): Fri 19 Mar. Then 22-25 (4), 30 Mar-2 Apr (8), 5-6 (10).
    (ABSENCE, date(2027, 3, 8), ENG, date(2027, 3, 19), date(2027, 4, 6)),
    # 12 July 2027 in Northern Ireland: Mon 5 Jul: 5-9 (5), 13-16 (9), Mon 19 (10). Then
    # 20-23 (4), 26-30 (9), Mon 2 Aug (10): their August holiday is at the end of the month.
    (ABSENCE, date(2027, 7, 5), NIR, date(2027, 7, 19), date(2027, 8, 2)),
    # ...Scotland: 5-9 (5), 12-16 (10): Fri 16 Jul. Then 19-23 (5), 26-30 (10).
    (ABSENCE, date(2027, 7, 5), SCT, date(2027, 7, 16), date(2027, 7, 30)),
    # Scotland's early August 2027: Mon 26 Jul: 26-30 (5), 3-6 Aug (9), Mon 9 (10). Then
    # 10-13 (4), 16-20 (9), Mon 23 (10).
    (ABSENCE, date(2027, 7, 26), SCT, date(2027, 8, 9), date(2027, 8, 23)),
    # ...England: 26-30 (5), 2-6 Aug (10): Fri 6 Aug. Then 9-13 (5), 16-20 (10).
    (ABSENCE, date(2027, 7, 26), ENG, date(2027, 8, 6), date(2027, 8, 20)),
    # ---------------------------------------------------------------- students
    # A student's events are reported within 10 working days too (STUDENT_REPORT_WORKING_DAYS),
    # counted in the study address's part of the UK. "Did not enrol" is dated the last day of
    # the sponsor's enrolment period, so its clock starts there.
    # St Andrew's Day 2026, a Monday. Mon 16 Nov: 17-20 (4), 23-27 (9), Tue 1 Dec (10).
    (STOPPED_ENGAGING, date(2026, 11, 16), SCT, date(2026, 11, 16), date(2026, 12, 1)),
    # ...England: 17-20 (4), 23-27 (9), Mon 30 Nov (10).
    (STOPPED_ENGAGING, date(2026, 11, 16), ENG, date(2026, 11, 16), date(2026, 11, 30)),
    # St Andrew's Day 2025, a Sunday: Scotland closes Mon 1 Dec. Fri 21 Nov: 24-28 (5),
    # 2-5 Dec (9), Mon 8 (10).
    (DID_NOT_ENROL, date(2025, 11, 21), SCT, date(2025, 11, 21), date(2025, 12, 8)),
    # ...Wales: 24-28 (5), 1-5 Dec (10).
    (DID_NOT_ENROL, date(2025, 11, 21), WLS, date(2025, 11, 21), date(2025, 12, 5)),
    # Christmas 2025 and New Year. Fri 19 Dec: 22-24 (3), 29-31 (6), Fri 2 Jan (7), 5-7 (10).
    (DID_NOT_ENROL, date(2025, 12, 19), ENG, date(2025, 12, 19), date(2026, 1, 7)),
    # ...Scotland also closes Fri 2 Jan: 22-24 (3), 29-31 (6), 5-8 Jan (10).
    (DID_NOT_ENROL, date(2025, 12, 19), SCT, date(2025, 12, 19), date(2026, 1, 8)),
    # Scotland's early August 2026 (Mon 3 Aug). Fri 31 Jul: 4-7 (4), 10-14 (9), Mon 17 (10).
    (DID_NOT_ENROL, date(2026, 7, 31), SCT, date(2026, 7, 31), date(2026, 8, 17)),
    # ...Northern Ireland works it: 3-7 (5), 10-14 (10).
    (DID_NOT_ENROL, date(2026, 7, 31), NIR, date(2026, 7, 31), date(2026, 8, 14)),
    # Christmas 2026 (Fri 25, Mon 28 Dec, Fri 1 Jan). Fri 18 Dec: 21-24 (4), 29-31 (7),
    # Mon 4 Jan (8), 5 (9), 6 (10).
    (STUDIES_STOPPED, date(2026, 12, 18), ENG, date(2026, 12, 18), date(2027, 1, 6)),
    (STUDIES_STOPPED, date(2026, 12, 18), NIR, date(2026, 12, 18), date(2027, 1, 6)),
    # ...Scotland closes Mon 4 Jan (2 January's substitute): 5 (8), 6 (9), 7 (10).
    (STUDIES_STOPPED, date(2026, 12, 18), SCT, date(2026, 12, 18), date(2027, 1, 7)),
    # Late August 2027 (Mon 30 Aug). Fri 27 Aug: 31 Aug-3 Sep (4), 6-10 (9), Mon 13 (10).
    (STUDIES_STOPPED, date(2027, 8, 27), WLS, date(2027, 8, 27), date(2027, 9, 13)),
    # ...Scotland works it: 30 Aug-3 Sep (5), 6-10 (10).
    (STUDIES_STOPPED, date(2027, 8, 27), SCT, date(2027, 8, 27), date(2027, 9, 10)),
    # Easter 2026 (Good Friday 3 Apr, Easter Monday 6 Apr). Thu 2 Apr: 7-10 (4), 13-17 (9),
    # Mon 20 (10).
    (STUDIES_PAUSED, date(2026, 4, 2), ENG, date(2026, 4, 2), date(2026, 4, 20)),
    # ...Scotland works Easter Monday: 6 (1), 7-10 (5), 13-17 (10).
    (STUDIES_PAUSED, date(2026, 4, 2), SCT, date(2026, 4, 2), date(2026, 4, 17)),
    # St Patrick's Day 2026, a Tuesday. Mon 9 Mar: 10-13 (4), 16 (5), 18-20 (8), 23 (9), 24 (10).
    (COMPLETED_EARLY, date(2026, 3, 9), NIR, date(2026, 3, 9), date(2026, 3, 24)),
    # ...England: 10-13 (4), 16-20 (9), 23 (10).
    (COMPLETED_EARLY, date(2026, 3, 9), ENG, date(2026, 3, 9), date(2026, 3, 23)),
    # 12 July 2026, a Sunday: Northern Ireland closes Mon 13. Fri 10 Jul: 14-17 (4), 20-24 (9),
    # Mon 27 (10).
    (STUDENT_SPONSORSHIP_ENDED, date(2026, 7, 10), NIR, date(2026, 7, 10), date(2026, 7, 27)),
    # ...Scotland: 13-17 (5), 20-24 (10).
    (STUDENT_SPONSORSHIP_ENDED, date(2026, 7, 10), SCT, date(2026, 7, 10), date(2026, 7, 24)),
    # ---------------------------------------------------------------- no date
    # A suspected breach is reported as soon as reasonably practicable, not by a date.
    (BREACH_SUSPECTED, date(2026, 11, 16), ENG, date(2026, 11, 16), None),
    (BREACH_SUSPECTED, date(2026, 12, 24), SCT, date(2026, 12, 24), None),
    # A graduate notification is sent before the Graduate route application, not by a date.
    (GRADUATED, date(2026, 11, 16), SCT, date(2026, 11, 16), None),
]

# Organisation changes have 20 working days (rule ORGANISATION_CHANGE_WORKING_DAYS).
ORGANISATION_CASES = [
    # Mon 16 Nov 2026: 17-20 (4), 23-27 (9), 30 Nov (10), 1-4 Dec (14), 7-11 (19), Mon 14 (20).
    (ORGANISATION_CHANGE, date(2026, 11, 16), ENG, date(2026, 11, 16), date(2026, 12, 14)),
    # ...Scotland closes 30 Nov: 1-4 Dec (13), 7-11 (18), 14 (19), Tue 15 (20).
    (ORGANISATION_CHANGE, date(2026, 11, 16), SCT, date(2026, 11, 16), date(2026, 12, 15)),
    # Fri 11 Dec 2026: 14-18 (5), 21-24 (9), 29-31 (12), 4-8 Jan (17), 11-13 (20).
    (ORGANISATION_CHANGE, date(2026, 12, 11), ENG, date(2026, 12, 11), date(2027, 1, 13)),
]


def _ids(cases):
    return [f"{kind.value}-{event}-{nation}" for kind, event, nation, _, _ in cases]


@pytest.mark.parametrize(("kind", "event", "nation", "starts", "due"), CASES, ids=_ids(CASES))
def test_clock_start_and_due_date(kind, event, nation, starts, due):
    assert clock_start(kind, event, nation) == starts
    assert due_date(kind, event, nation) == due


def test_the_table_covers_every_kind_of_worker_and_student_event():
    assert {kind for kind, *_ in CASES} == set(EventKind) - {ORGANISATION_CHANGE}
    assert {nation for _, _, nation, _, _ in CASES} == {ENG, WLS, SCT, NIR}


@pytest.mark.parametrize(
    ("kind", "event", "nation", "starts", "due"), ORGANISATION_CASES, ids=_ids(ORGANISATION_CASES)
)
def test_an_organisation_change_is_due_in_20_working_days(kind, event, nation, starts, due):
    head_office = SimpleNamespace(nation=nation)
    assert clock_start(kind, event, nation) == starts
    assert report_due_date(head_office, OrganisationChange.ADDRESS, event) == due


def test_an_organisation_change_is_timed_by_its_change_type_not_here():
    # Its deadline depends on what changed (key personnel has its own setting), so the one
    # place is licences.services.requests.report_due_date; tests/test_organisation_changes.py.
    with pytest.raises(ValueError, match="report_due_date"):
        due_date(ORGANISATION_CHANGE, date(2026, 11, 16), ENG)


def test_an_organisation_change_clock_starts_with_the_change():
    assert clock_start(ORGANISATION_CHANGE, date(2026, 11, 16), ENG) == date(2026, 11, 16)


@pytest.mark.parametrize(
    ("trigger", "window_end"),
    [
        (date(2026, 11, 2), date(2026, 11, 30)),
        # Across a month of 31 days and a year's end.
        (date(2026, 12, 10), date(2027, 1, 7)),
        # February 2028 has 29 days: 1 Feb + 28 = 29 Feb.
        (date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_the_did_not_start_window_is_28_calendar_days(trigger, window_end):
    assert did_not_start_window_end(trigger) == window_end


@pytest.mark.parametrize(
    ("course_start", "days", "last_day"),
    [
        # The default period, 14 days: Mon 14 Sep 2026 to Mon 28 Sep.
        (date(2026, 9, 14), 14, date(2026, 9, 28)),
        # A sponsor's own period, across a month's end.
        (date(2026, 9, 14), 21, date(2026, 10, 5)),
        # January starts, across a year's end the other way round.
        (date(2026, 12, 28), 14, date(2027, 1, 11)),
        # February 2028 has 29 days.
        (date(2028, 2, 15), 14, date(2028, 2, 29)),
    ],
)
def test_the_enrolment_period_counts_calendar_days_from_the_course_start(
    course_start, days, last_day
):
    assert enrolment_window_end(course_start, days) == last_day


def test_students_follow_their_own_dated_rule(monkeypatch):
    """Students' deadlines come from STUDENT_REPORT_WORKING_DAYS, workers' from theirs: a new
    student row changes students' deadlines from its date only."""
    rows = (
        *RULES[Rule.STUDENT_REPORT_WORKING_DAYS],
        RuleRow(date(2027, 1, 1), 5, "A later rule, for this test"),
    )
    monkeypatch.setitem(RULES, Rule.STUDENT_REPORT_WORKING_DAYS, rows)
    # Before the change: Mon 16 Nov 2026, 10 working days in England: Mon 30 Nov.
    assert due_date(STOPPED_ENGAGING, date(2026, 11, 16), ENG) == date(2026, 11, 30)
    # After it: Mon 11 Jan 2027, 5 working days: Mon 18 Jan.
    assert due_date(STOPPED_ENGAGING, date(2027, 1, 11), ENG) == date(2027, 1, 18)
    # Workers keep 10: 12-15 (4), 18-22 (9), Mon 25 (10).
    assert due_date(SALARY_REDUCED, date(2027, 1, 11), ENG) == date(2027, 1, 25)


# (first day absent, last day absent, nation, reportable): more than 10 working days is.
ABSENCES = [
    # Mon 16 to Fri 27 Nov 2026: 10 working days, not yet reportable.
    (date(2026, 11, 16), date(2026, 11, 27), ENG, False),
    # ...the weekend after adds none.
    (date(2026, 11, 16), date(2026, 11, 29), ENG, False),
    # ...Mon 30 Nov is the 11th.
    (date(2026, 11, 16), date(2026, 11, 30), ENG, True),
    # ...but in Scotland 30 Nov is St Andrew's Day: still 10; Tue 1 Dec is the 11th.
    (date(2026, 11, 16), date(2026, 11, 30), SCT, False),
    (date(2026, 11, 16), date(2026, 12, 1), SCT, True),
    # Christmas 2026: Mon 14 Dec: 14-18 (5), 21-24 (9), Tue 29 (10), Wed 30 (11).
    (date(2026, 12, 14), date(2026, 12, 29), ENG, False),
    (date(2026, 12, 14), date(2026, 12, 30), ENG, True),
    # Easter 2026: Mon 30 Mar: 30 Mar-2 Apr (4), 7-10 (8), 13 (9), 14 (10), 15 (11)...
    (date(2026, 3, 30), date(2026, 4, 14), ENG, False),
    (date(2026, 3, 30), date(2026, 4, 15), ENG, True),
    # ...Scotland works Easter Monday, so Tue 14 Apr is already the 11th.
    (date(2026, 3, 30), date(2026, 4, 14), SCT, True),
    # St Patrick's Day 2026 (Tue 17 Mar): Mon 9 Mar: 9-13 (5), 16 (6), 18-20 (9), 23 (10).
    (date(2026, 3, 9), date(2026, 3, 23), NIR, False),
    (date(2026, 3, 9), date(2026, 3, 24), NIR, True),
    (date(2026, 3, 9), date(2026, 3, 23), ENG, True),
    # A short absence.
    (date(2026, 11, 16), date(2026, 11, 16), ENG, False),
]


@pytest.mark.parametrize(("first", "last", "nation", "reportable"), ABSENCES)
def test_absence_is_reportable_after_more_than_10_working_days(first, last, nation, reportable):
    assert absence_is_reportable(first, last, nation) is reportable
