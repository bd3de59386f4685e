"""Answer lists for the learner record, kept apart from the models so forms and imports share them."""

from django.db import models


class Source(models.TextChoices):
    JOBCENTRE = "jobcentre", "Jobcentre Plus"
    SOCIAL_MEDIA = "social_media", "Social media"
    WEBSITE = "website", "Council or academy website"
    WORD_OF_MOUTH = "word_of_mouth", "Friend or family"
    EVENT = "event", "Jobs fair or event"
    COLLEGE = "college", "College or training provider"
    CARE_PROVIDER = "care_provider", "A care provider"
    COMMUNITY = "community", "Community group or charity"
    OTHER = "other", "Other"


class RightToWork(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class EmploymentStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", "Unemployed and looking for work"
    INACTIVE = "inactive", "Not working and not looking (e.g. caring, ill health)"
    PART_TIME = "part_time", "Employed part time"
    FULL_TIME = "full_time", "Employed full time"
    SELF_EMPLOYED = "self_employed", "Self-employed"
    STUDENT = "student", "In education"
    RETIRED = "retired", "Retired"


class BenefitStatus(models.TextChoices):
    NONE = "none", "No benefits"
    UNIVERSAL_CREDIT = "universal_credit", "Universal Credit"
    JSA = "jsa", "Jobseeker's Allowance"
    ESA = "esa", "Employment and Support Allowance"
    PIP = "pip", "Personal Independence Payment"
    OTHER = "other", "Other benefit"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Qualification(models.TextChoices):
    NONE = "none", "No formal qualifications"
    ENTRY = "entry", "Entry level"
    LEVEL_1 = "level_1", "Level 1 (e.g. GCSE grades 3-1)"
    LEVEL_2 = "level_2", "Level 2 (e.g. GCSE grades 9-4)"
    LEVEL_3 = "level_3", "Level 3 (e.g. A level)"
    LEVEL_4 = "level_4", "Level 4 or above (e.g. degree)"
    OVERSEAS = "overseas", "Qualification from outside the UK"


class Barrier(models.TextChoices):
    TRANSPORT = "transport", "Transport"
    CHILDCARE = "childcare", "Childcare"
    INTERVIEW_CLOTHES = "interview_clothes", "Interview clothes"
    LUNCH = "lunch", "Lunch while training"
    DIGITAL = "digital", "Digital access (device, internet, skills)"
    ENGLISH = "english", "English language"
    HEALTH = "health", "Health or disability"
    HOUSING = "housing", "Housing"
    CONFIDENCE = "confidence", "Confidence"


class Interest(models.TextChoices):
    HOME_CARE = "home_care", "Home care"
    RESIDENTIAL = "residential", "Residential care"
    NURSING = "nursing", "Nursing homes"
    LEARNING_DISABILITY = "learning_disability", "Learning disability support"
    MENTAL_HEALTH = "mental_health", "Mental health support"
    REABLEMENT = "reablement", "Reablement"


class Availability(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    DAYS = "days", "Daytime only"
    EVENINGS_WEEKENDS = "evenings_weekends", "Evenings and weekends"
    FLEXIBLE = "flexible", "Flexible, including shifts"


class ClosedReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    WITHDREW = "withdrew", "Withdrew"
    LOST_CONTACT = "lost_contact", "Lost contact"
    FOUND_OTHER_WORK = "found_other_work", "Found work outside care"
    NOT_ACCEPTED = "not_accepted", "Not accepted on values"
    MOVED_AWAY = "moved_away", "Moved away"
    DUPLICATE = "duplicate", "Duplicate record (merged)"
    OTHER = "other", "Other"


class AgeBand(models.TextChoices):
    """Age bands for equality monitoring and reports; derived from date of birth, never asked."""

    AGE_16_24 = "16_24", "16 to 24"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_49 = "35_49", "35 to 49"
    AGE_50_64 = "50_64", "50 to 64"
    AGE_65_PLUS = "65_plus", "65 or over"

    @classmethod
    def for_age(cls, age: int | None) -> str:
        """The band's value for an age in whole years; blank when unknown or under 16."""
        if age is None or age < 16:
            return ""
        for band, upper in ((cls.AGE_16_24, 24), (cls.AGE_25_34, 34), (cls.AGE_35_49, 49), (cls.AGE_50_64, 64)):
            if age <= upper:
                return band.value
        return cls.AGE_65_PLUS.value


PREFER_NOT_TO_SAY = ("prefer_not", "Prefer not to say")


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT = PREFER_NOT_TO_SAY


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = PREFER_NOT_TO_SAY


class Ethnicity(models.TextChoices):
    """ONS 2021 census categories (England and Wales)."""

    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other background"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or multiple: White and Black African"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: any other"
    PREFER_NOT = PREFER_NOT_TO_SAY


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT = PREFER_NOT_TO_SAY


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    PREFER_NOT = PREFER_NOT_TO_SAY


class UnderrepresentedGroup(models.TextChoices):
    """Groups funders ask academies to reach; derived from equality answers and date of birth."""

    MEN = "men", "Men"
    OVER_50 = "over_50", "Aged 50 or over"
    ETHNIC_MINORITY = "ethnic_minority", "Ethnic minority groups"
    DISABLED = "disabled", "Disabled people"
    CARE_LEAVER = "care_leaver", "Care leavers"
    REFUGEE = "refugee", "Refugees and asylum seekers"
    ARMED_FORCES = "armed_forces", "Armed forces community"
    CAREER_RETURNER = "career_returner", "Career returners"


class Milestone(models.TextChoices):
    """Fixed points of a person's journey that code moves people to; one stage carries each.

    Managers name, order and switch off stages; code never looks a stage up by its name or slug.
    Listed in journey order (candidate_move_to_milestone's "further on" follows it).
    """

    REGISTERED = "registered", "Registered"
    SCREENED = "screened", "Screened"
    ON_COURSE = "on_course", "On course"
    COMPLETED_COURSE = "completed_course", "Completed course"
    DBS = "dbs", "DBS check"
    JOB_READY = "job_ready", "Job ready"
    PLACED = "placed", "Placed"
    IN_WORK = "in_work", "In work"
    SUSTAINED = "sustained", "Sustained employment"
    CLOSED = "closed", "Closed"
