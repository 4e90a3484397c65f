"""The fields only a Confirmation of Acceptance for Studies has (DOMAIN.md "Confirmation of
Acceptance for Studies"). The person, passport, number, status and history are the
certificate core's."""

from django.db import models
from django.db.models import Q

from sponsorship.core.db import choices_check
from sponsorship.licences.models import Nation

from .certificates import Certificate


class AcademicLevel(models.TextChoices):
    """The course's level on the Regulated Qualifications Framework (or its equivalent in
    Scotland). Degree level is RQF 6 and above."""

    SCHOOL = "SCHOOL", "School (below RQF 3)"
    RQF3 = "RQF3", "RQF 3 (A level or equivalent)"
    RQF4 = "RQF4", "RQF 4 (higher national certificate or equivalent)"
    RQF5 = "RQF5", "RQF 5 (foundation degree or equivalent)"
    RQF6 = "RQF6", "RQF 6 (bachelor's degree)"
    RQF7 = "RQF7", "RQF 7 (master's degree)"
    RQF8 = "RQF8", "RQF 8 (doctorate)"


DEGREE_LEVELS = frozenset({AcademicLevel.RQF6, AcademicLevel.RQF7, AcademicLevel.RQF8})


class CourseType(models.TextChoices):
    TAUGHT = "TAUGHT", "Taught"
    RESEARCH = "RESEARCH", "Research"


class StudyMode(models.TextChoices):
    FULL_TIME = "FULL_TIME", "Full time"
    PART_TIME = "PART_TIME", "Part time"


class EnglishMethod(models.TextChoices):
    """How the student's English was assessed."""

    SELT = "SELT", "Secure English Language Test (SELT)"
    SPONSOR_ASSESSED = "SPONSOR_ASSESSED", "Assessed by you (higher education provider)"
    MAJORITY_ENGLISH_NATIONAL = (
        "MAJORITY_ENGLISH_NATIONAL",
        "National of a majority English-speaking country",
    )
    PREVIOUS_DEGREE = "PREVIOUS_DEGREE", "Holds a degree taught in English"
    UK_SCHOOL_QUALIFICATION = (
        "UK_SCHOOL_QUALIFICATION",
        "UK school qualification (GCSE, A level or Scottish Higher) gained while under 18",
    )
    NOT_REQUIRED = "NOT_REQUIRED", "Not required (Child Student)"


class CefrLevel(models.TextChoices):
    """Common European Framework of Reference levels, lowest first."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


CEFR_ORDER = [level.value for level in CefrLevel]


class CasDetails(models.Model):
    """The student's course, English, ATAS and fees."""

    certificate = models.OneToOneField(
        Certificate, primary_key=True, on_delete=models.CASCADE, related_name="cas"
    )
    # The sponsor's own reference for the student (ApplicantID in bulk files).
    student_id = models.CharField("student ID", max_length=40, blank=True)
    # B-rated sponsors may assign CAS only to students already studying with them.
    existing_student = models.BooleanField("already studying with you in the UK", default=False)

    # Course
    course_title = models.CharField(max_length=200, blank=True)
    academic_level = models.CharField(max_length=8, choices=AcademicLevel.choices, blank=True)
    secondary_academic_level = models.CharField(
        max_length=8, choices=AcademicLevel.choices, blank=True
    )
    course_type = models.CharField(max_length=8, choices=CourseType.choices, blank=True)
    course_start_date = models.DateField(null=True, blank=True)
    course_end_date = models.DateField(null=True, blank=True)
    weekly_study_hours = models.DecimalField(
        "hours of study a week", max_digits=5, decimal_places=2, null=True, blank=True
    )
    study_mode = models.CharField(
        "full or part time", max_length=9, choices=StudyMode.choices, blank=True
    )
    # Main study address: a copy, so editing a pre-stored address never changes a CAS.
    study_address = models.ForeignKey(
        "certificates.WorkAddress",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The pre-stored study address it was copied from, if any.",
    )
    study_address_line_1 = models.CharField(max_length=200, blank=True)
    study_address_line_2 = models.CharField(max_length=200, blank=True)
    study_town = models.CharField(max_length=100, blank=True)
    study_postcode = models.CharField(max_length=10, blank=True)
    # Decides whose bank holidays count in the student's reporting deadlines.
    study_nation = models.CharField(max_length=3, choices=Nation.choices, blank=True)
    partner_institution = models.CharField(max_length=200, blank=True)
    work_placement = models.BooleanField("includes a work placement", default=False)
    work_placement_details = models.TextField(max_length=1000, blank=True)

    # English language
    english_method = models.CharField(
        "how English was assessed", max_length=30, choices=EnglishMethod.choices, blank=True
    )
    english_level = models.CharField(
        "English level", max_length=2, choices=CefrLevel.choices, blank=True
    )
    selt_provider = models.CharField("SELT provider", max_length=100, blank=True)
    selt_reference = models.CharField("SELT reference", max_length=50, blank=True)
    selt_reading_level = models.CharField(
        "SELT reading level", max_length=2, choices=CefrLevel.choices, blank=True
    )
    selt_writing_level = models.CharField(
        "SELT writing level", max_length=2, choices=CefrLevel.choices, blank=True
    )
    selt_listening_level = models.CharField(
        "SELT listening level", max_length=2, choices=CefrLevel.choices, blank=True
    )
    selt_speaking_level = models.CharField(
        "SELT speaking level", max_length=2, choices=CefrLevel.choices, blank=True
    )

    # Academic Technology Approval Scheme
    atas_required = models.BooleanField("ATAS certificate required", default=False)
    atas_reference = models.CharField("ATAS certificate reference", max_length=50, blank=True)

    # Fees (pounds and pence); the only fields a sponsor may change on a live CAS.
    course_fees_first_year = models.DecimalField(
        "course fees for the first year", max_digits=9, decimal_places=2, null=True, blank=True
    )
    course_fees_paid = models.DecimalField(
        "course fees paid to date", max_digits=9, decimal_places=2, null=True, blank=True
    )
    accommodation_included = models.BooleanField("course fees include accommodation", default=False)
    accommodation_fees_paid = models.DecimalField(
        "accommodation fees paid to date", max_digits=9, decimal_places=2, null=True, blank=True
    )

    # The later CAS for the same student and course that made this one obsolete.
    superseded_by = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "CAS details"
        verbose_name_plural = "CAS details"
        indexes = [models.Index(fields=["student_id"])]
        constraints = [
            choices_check(
                "academic_level", AcademicLevel, "cas_academic_level_valid", allow_blank=True
            ),
            choices_check(
                "secondary_academic_level",
                AcademicLevel,
                "cas_secondary_academic_level_valid",
                allow_blank=True,
            ),
            choices_check("course_type", CourseType, "cas_course_type_valid", allow_blank=True),
            choices_check("study_mode", StudyMode, "cas_study_mode_valid", allow_blank=True),
            choices_check("study_nation", Nation, "cas_study_nation_valid", allow_blank=True),
            choices_check(
                "english_method", EnglishMethod, "cas_english_method_valid", allow_blank=True
            ),
            *(
                choices_check(name, CefrLevel, f"cas_{name}_valid", allow_blank=True)
                for name in (
                    "english_level",
                    "selt_reading_level",
                    "selt_writing_level",
                    "selt_listening_level",
                    "selt_speaking_level",
                )
            ),
            models.CheckConstraint(
                condition=Q(weekly_study_hours__isnull=True) | Q(weekly_study_hours__gt=0),
                name="cas_weekly_study_hours_positive",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"cas_{name}_not_negative",
                )
                for name in (
                    "course_fees_first_year",
                    "course_fees_paid",
                    "accommodation_fees_paid",
                )
            ),
        ]

    def __str__(self) -> str:
        return f"CAS details of {self.certificate}"

    @property
    def degree_level(self) -> bool:
        return self.academic_level in DEGREE_LEVELS

    @property
    def study_address_one_line(self) -> str:
        return ", ".join(
            part
            for part in (
                self.study_address_line_1,
                self.study_address_line_2,
                self.study_town,
                self.study_postcode,
            )
            if part
        )
