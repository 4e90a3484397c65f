"""The home page menus of the original service, as data: which entries, for whom."""

from dataclasses import dataclass

from django.urls import reverse

from .permissions import Permission, can, denial


@dataclass(frozen=True)
class MenuItem:
    label: str
    permission: Permission
    url_name: str
    description: str = ""

    @property
    def href(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class MenuSection:
    title: str
    permission: Permission
    items: tuple[MenuItem, ...]


L = Permission.LICENCE_SERVICES_VIEW
W = Permission.WORKERS_MENU_VIEW
S = Permission.STUDENTS_MENU_VIEW
COS = Permission.CERTIFICATES_MANAGE
CAS = Permission.CAS_MANAGE

MENU: tuple[MenuSection, ...] = (
    MenuSection(
        "Licence summary, applications and services",
        L,
        (
            MenuItem(
                "Licence summary", Permission.LICENCE_SUMMARY_VIEW, url_name="licences:summary"
            ),
            MenuItem(
                "Manage Level 1 and Level 2 users",
                Permission.USERS_MANAGE,
                url_name="licences:users",
            ),
            MenuItem("Key personnel", Permission.KEY_PEOPLE_CHANGE, url_name="licences:key_people"),
            MenuItem(
                "Request changes to licence details",
                Permission.LICENCE_CHANGE_REQUEST,
                url_name="licences:change_new",
            ),
            MenuItem("PAYE references", Permission.PAYE_MANAGE, url_name="licences:paye"),
            MenuItem(
                "Request or renew allocations",
                Permission.ALLOCATIONS_REQUEST,
                url_name="licences:allocations",
            ),
            MenuItem(
                "Premium customer service and Student Sponsor status",
                # The page shows while suspended or B-rated, with applying disabled and why.
                Permission.LICENCE_SERVICES_VIEW,
                url_name="licences:sponsor_status",
            ),
            MenuItem(
                "Your requests", Permission.LICENCE_SERVICES_VIEW, url_name="licences:requests"
            ),
            MenuItem(
                "Action plans", Permission.ACTION_PLAN_RESPOND, url_name="licences:action_plans"
            ),
            MenuItem("Audit trail", Permission.AUDIT_TRAIL_VIEW, url_name="audit:trail"),
            MenuItem("API tokens", Permission.API_TOKEN_MANAGE, url_name="api_tokens:list"),
        ),
    ),
    MenuSection(
        "Home Office messages",
        Permission.MESSAGE_BOARD_VIEW,
        (MenuItem("Message board", Permission.MESSAGE_BOARD_VIEW, url_name="licences:messages"),),
    ),
    MenuSection(
        "Workers",
        W,
        (
            MenuItem(
                "Create and assign a certificate of sponsorship",
                COS,
                url_name="certificates:draft_new",
            ),
            MenuItem("Search for a certificate of sponsorship", COS, url_name="certificates:list"),
            MenuItem("Batches and Creative Worker groups", COS, url_name="certificates:batches"),
            MenuItem(
                "Sponsored workers", Permission.WORKER_REGISTER_VIEW, url_name="duties:register"
            ),
            MenuItem(
                "Report migrant activity", Permission.ACTIVITY_REPORT, url_name="duties:reports"
            ),
            MenuItem(
                "Work addresses",
                Permission.WORK_ADDRESSES_MANAGE,
                url_name="certificates:work_addresses",
            ),
            MenuItem(
                "Defined certificates of sponsorship",
                Permission.DEFINED_COS_VIEW,
                url_name="certificates:defined",
            ),
        ),
    ),
    MenuSection(
        "Students",
        S,
        (
            MenuItem("Create and assign a CAS", CAS, url_name="certificates:cas_draft_new"),
            MenuItem("CAS drafts", CAS, url_name="certificates:cas_drafts"),
            MenuItem("CAS batches", CAS, url_name="certificates:cas_batches"),
            MenuItem("Search for a CAS", CAS, url_name="certificates:cas_list"),
            MenuItem(
                "Study addresses",
                Permission.STUDY_ADDRESSES_MANAGE,
                url_name="certificates:study_addresses",
            ),
            MenuItem(
                "Sponsored students",
                Permission.STUDENT_REGISTER_VIEW,
                url_name="duties:students",
            ),
            MenuItem(
                "Report student activity",
                Permission.STUDENT_ACTIVITY_REPORT,
                url_name="duties:student_reports",
            ),
            MenuItem("Bulk data transfer", Permission.BULK_REPORT, url_name="bulk:files"),
        ),
    ),
    MenuSection(
        # Both routes share the duty clock, so this section is neither workers' nor students'.
        "Compliance",
        Permission.COMPLIANCE_VIEW,
        (
            MenuItem("Reporting duties", Permission.COMPLIANCE_VIEW, url_name="duties:duties"),
            MenuItem(
                "Compliance dashboard", Permission.COMPLIANCE_VIEW, url_name="duties:dashboard"
            ),
            MenuItem("Mock audit", Permission.MOCK_AUDIT_VIEW, url_name="records:mock_audit"),
            MenuItem("Evidence packs", Permission.EVIDENCE_PACK_CREATE, url_name="records:packs"),
            MenuItem(
                "Records to delete", Permission.WORKER_RECORDS_DELETE, url_name="records:to_delete"
            ),
            MenuItem(
                "Record a change to your organisation",
                Permission.LICENCE_CHANGE_REQUEST,
                url_name="duties:organisation_change_new",
            ),
            MenuItem(
                "Reminder settings",
                Permission.COMPLIANCE_SETTINGS_MANAGE,
                url_name="duties:settings",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class MenuEntry:
    item: MenuItem
    blocked_reason: str = ""  # shown instead of a link when the licence status blocks it


def menu_for(user: object) -> list[tuple[MenuSection, list[MenuEntry]]]:
    """The sections and entries this user sees, given their level, routes and licence status.
    Entries the licence status blocks stay visible, unlinked, saying why."""
    shown = []
    for section in MENU:
        if not can(user, section.permission):
            continue
        entries = []
        for item in section.items:
            refused = denial(user, item.permission)
            if refused is None:
                entries.append(MenuEntry(item))
            elif not refused.hidden:
                entries.append(MenuEntry(item, blocked_reason=refused.reason))
        if entries:
            shown.append((section, entries))
    return shown
