"""The vocabularies kg writes: its ontology terms, the data namespace, the annotation keywords.

Every IRI the code emits comes from here. ``KG`` and ``OA`` are rdflib DefinedNamespaces with
``_fail = True``: a misspelt term raises AttributeError instead of quietly minting a new IRI.
The keyword tables say which word an annotator writes (``type: hospital``) for which term;
the loader accepts exactly these words.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SDO, SKOS, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/counterpart-kg/ontology"
DATA_IRI = "https://w3id.org/counterpart-kg/id/"

ID = Namespace(DATA_IRI)


class KG(DefinedNamespace):
    """kg's own terms: what no standard vocabulary covers. Declared in ontology/kg.ttl."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # organization kinds (all subclasses of org:Organization)
    Hospital: URIRef
    CommunityHealthServiceCenter: URIRef
    TownshipHealthCenter: URIRef
    HealthCommission: URIRef
    Government: URIRef
    PartyOrganization: URIRef
    Association: URIRef
    Company: URIRef
    Department: URIRef
    MedicalAlliance: URIRef
    PublicInstitution: URIRef
    MedicalTeam: URIRef
    RegionalMedicalCenter: URIRef
    # place kinds (all subclasses of schema:Place)
    Country: URIRef
    ProvinceLevelDivision: URIRef
    Province: URIRef
    AutonomousRegion: URIRef
    Municipality: URIRef
    PrefectureLevelCity: URIRef
    District: URIRef
    County: URIRef
    Town: URIRef
    Village: URIRef
    Site: URIRef
    # facts
    Fact: URIRef
    RoleStatement: URIRef
    AssistanceRelationship: URIRef
    Agreement: URIRef
    Event: URIRef
    Measure: URIRef
    SubOrganizationLink: URIRef
    SatelliteLink: URIRef
    # event kinds (all subclasses of kg:Event)
    SigningCeremony: URIRef
    Symposium: URIRef
    Visit: URIRef
    Tour: URIRef
    Inspection: URIRef
    Training: URIRef
    Lecture: URIRef
    FreeClinic: URIRef
    Dispatch: URIRef
    MedicalSupport: URIRef
    PartyDayActivity: URIRef
    Donation: URIRef
    # evidence
    Evidence: URIRef
    Mention: URIRef
    # concept schemes and concepts
    AssistanceKind: URIRef
    Qualifier: URIRef
    DispatchedExperts: URIRef
    TrainingSupport: URIRef
    Telemedicine: URIRef
    TechnicalGuidance: URIRef
    ClinicalServices: URIRef
    EquipmentAndDrugs: URIRef
    ManagementSupport: URIRef
    DisciplineBuilding: URIRef
    ResearchCooperation: URIRef
    PublicHealthCooperation: URIRef
    HealthPovertyAlleviation: URIRef
    InformationSystems: URIRef
    Exactly: URIRef
    MoreThan: URIRef
    # properties
    locatedIn: URIRef
    successorOf: URIRef
    referenceData: URIRef
    note: URIRef
    sourceLine: URIRef
    evidence: URIRef
    provider: URIRef
    recipient: URIRef
    assistanceKind: URIRef
    startDate: URIRef
    endDate: URIRef
    underAgreement: URIRef
    program: URIRef
    activity: URIRef
    party: URIRef
    signedOn: URIRef
    signingEvent: URIRef
    date: URIRef
    inferredDate: URIRef
    dateInference: URIRef
    withinAssistance: URIRef
    quantity: URIRef
    value: URIRef
    unit: URIRef
    qualifier: URIRef
    about: URIRef
    subOrganization: URIRef
    parentOrganization: URIRef
    satellite: URIRef
    hub: URIRef
    satelliteOf: URIRef
    postTitle: URIRef
    statedOn: URIRef
    ambiguous: URIRef
    post: URIRef
    sourceText: URIRef
    file: URIRef
    sha256: URIRef
    occurrences: URIRef
    matchedLabel: URIRef


class OA(DefinedNamespace):
    """The W3C Web Annotation vocabulary terms kg uses (https://www.w3.org/TR/annotation-vocab/)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    motivatedBy: URIRef
    describing: URIRef
    identifying: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef


# Annotation keyword -> ontology term. The loader accepts exactly these keys.
ORGANIZATION_KINDS = {
    "hospital": KG.Hospital,
    "community-health-service-center": KG.CommunityHealthServiceCenter,
    "township-health-center": KG.TownshipHealthCenter,
    "health-commission": KG.HealthCommission,
    "government": KG.Government,
    "party-organization": KG.PartyOrganization,
    "association": KG.Association,
    "company": KG.Company,
    "department": KG.Department,
    "medical-alliance": KG.MedicalAlliance,
    "public-institution": KG.PublicInstitution,
    "medical-team": KG.MedicalTeam,
    "regional-medical-center": KG.RegionalMedicalCenter,
}

PLACE_KINDS = {
    "country": KG.Country,
    "province": KG.Province,
    "autonomous-region": KG.AutonomousRegion,
    "municipality": KG.Municipality,
    "prefecture-city": KG.PrefectureLevelCity,
    "district": KG.District,
    "county": KG.County,
    "town": KG.Town,
    "village": KG.Village,
    "site": KG.Site,
}

EVENT_KINDS = {
    "signing-ceremony": KG.SigningCeremony,
    "symposium": KG.Symposium,
    "visit": KG.Visit,
    "tour": KG.Tour,
    "inspection": KG.Inspection,
    "training": KG.Training,
    "lecture": KG.Lecture,
    "free-clinic": KG.FreeClinic,
    "dispatch": KG.Dispatch,
    "medical-support": KG.MedicalSupport,
    "party-day-activity": KG.PartyDayActivity,
    "donation": KG.Donation,
}

ASSISTANCE_KINDS = {
    "dispatched-experts": KG.DispatchedExperts,
    "training": KG.TrainingSupport,
    "telemedicine": KG.Telemedicine,
    "technical-guidance": KG.TechnicalGuidance,
    "clinical-services": KG.ClinicalServices,
    "equipment-and-drugs": KG.EquipmentAndDrugs,
    "management": KG.ManagementSupport,
    "discipline-building": KG.DisciplineBuilding,
    "research": KG.ResearchCooperation,
    "public-health": KG.PublicHealthCooperation,
    "health-poverty-alleviation": KG.HealthPovertyAlleviation,
    "information-systems": KG.InformationSystems,
}

QUALIFIERS = {
    "exactly": KG.Exactly,
    "more-than": KG.MoreThan,
}


PREFIXES = {
    "kg": KG._NS,
    "id": ID,
    "org": ORG,
    "prov": PROV,
    "schema": SDO,
    "skos": SKOS,
    "foaf": FOAF,
    "oa": OA._NS,
}


def new_graph() -> Graph:
    """An empty graph with kg's prefixes bound, so every output declares the same ones."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    # the ontology's header uses Dublin Core terms: without this rdflib would invent "ns1"
    graph.bind("dcterms", DCTERMS, override=True, replace=True)
    return graph
