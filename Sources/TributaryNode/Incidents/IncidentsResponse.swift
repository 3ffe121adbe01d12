import TributaryAnomaly

/// `GET /api/v1/incidents`: `{"status":"success","data":{"incidents":[…]}}`,
/// newest first, each in `Incident`'s shape (docs/incidents.md).
struct IncidentsResponse: Encodable {
    struct Data: Encodable {
        var incidents: [Incident]
    }

    var status = "success"
    var data: Data

    init(incidents: [Incident]) {
        data = Data(incidents: incidents)
    }
}
