// Test fixtures made for exhunt: a STIX bundle, a MISP event and lists, valid and partly broken.

/** Documentation ranges (RFC 5737/3849) and `.example` names only: nothing here is a real indicator. */
export const STIX_BUNDLE = `{
  "type": "bundle",
  "id": "bundle--6a1c2f7e-3b4d-4c8e-9f10-2a3b4c5d6e7f",
  "objects": [
    {
      "type": "identity",
      "spec_version": "2.1",
      "id": "identity--1f1e2d3c-4b5a-4968-8776-655443322110",
      "created": "2022-10-01T00:00:00.000Z",
      "modified": "2022-10-01T00:00:00.000Z",
      "name": "Example CERT",
      "identity_class": "organization"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--0a000000-0000-4000-8000-000000000001",
      "created_by_ref": "identity--1f1e2d3c-4b5a-4968-8776-655443322110",
      "created": "2022-10-01T00:00:00.000Z",
      "modified": "2022-10-02T00:00:00.000Z",
      "name": "Exploitation sources",
      "pattern": "[ipv4-addr:value = '203.0.113.9'] OR [ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "pattern_type": "stix",
      "valid_from": "2022-10-01T00:00:00Z",
      "confidence": 80,
      "external_references": [{ "source_name": "example", "url": "https://cert.example/advisory/1" }]
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--0a000000-0000-4000-8000-000000000002",
      "created_by_ref": "identity--1f1e2d3c-4b5a-4968-8776-655443322110",
      "created": "2022-10-01T00:00:00.000Z",
      "modified": "2022-10-01T00:00:00.000Z",
      "name": "Webshell",
      "pattern": "[file:name = 'zz-shell.aspx' AND file:hashes.'SHA-256' = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']",
      "pattern_type": "stix",
      "valid_from": "2022-10-01T00:00:00Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--0a000000-0000-4000-8000-000000000003",
      "created": "2022-10-01T00:00:00.000Z",
      "modified": "2022-10-01T00:00:00.000Z",
      "pattern": "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'EvilClient/1.0'] OR [domain-name:value = 'c2.evil.example'] OR [url:value = 'http://drop.evil.example/a.aspx']",
      "pattern_type": "stix",
      "valid_from": "2022-10-01T00:00:00Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--0a000000-0000-4000-8000-000000000004",
      "created": "2022-10-01T00:00:00.000Z",
      "modified": "2022-10-01T00:00:00.000Z",
      "pattern": "[ipv4-addr:value = '203.0.113.",
      "pattern_type": "stix",
      "valid_from": "2022-10-01T00:00:00Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--0a000000-0000-4000-8000-000000000005",
      "created": "2022-10-01T00:00:00.000Z",
      "modified": "2022-10-01T00:00:00.000Z",
      "pattern": "[process:name = 'evil.exe']",
      "pattern_type": "stix",
      "valid_from": "2022-10-01T00:00:00Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--0a000000-0000-4000-8000-000000000006",
      "created": "2022-10-01T00:00:00.000Z",
      "modified": "2022-10-01T00:00:00.000Z",
      "pattern": "rule x { condition: true }",
      "pattern_type": "yara",
      "valid_from": "2022-10-01T00:00:00Z"
    }
  ]
}
`;

export const MISP_EVENT = `{
  "Event": {
    "info": "Exchange exploitation (example)",
    "uuid": "5f0b6c2e-0000-4000-8000-00000000e001",
    "Orgc": { "name": "Example ISAC" },
    "Attribute": [
      { "uuid": "a0000000-0000-4000-8000-000000000001", "type": "ip-src", "value": "203.0.113.10", "to_ids": true },
      { "uuid": "a0000000-0000-4000-8000-000000000002", "type": "ip-dst|port", "value": "203.0.113.11|443", "to_ids": true },
      { "uuid": "a0000000-0000-4000-8000-000000000003", "type": "hostname", "value": "owa.evil.example", "to_ids": true },
      { "uuid": "a0000000-0000-4000-8000-000000000004", "type": "user-agent", "value": "EvilClient/2.0", "to_ids": true, "comment": "scanner" },
      { "uuid": "a0000000-0000-4000-8000-000000000005", "type": "ip-src", "value": "999.1.1.1", "to_ids": true },
      { "uuid": "a0000000-0000-4000-8000-000000000006", "type": "email-src", "value": "x@evil.example", "to_ids": true },
      { "uuid": "a0000000-0000-4000-8000-000000000007", "type": "ip-src", "value": "192.0.2.50", "to_ids": false }
    ],
    "Object": [
      {
        "name": "file",
        "Attribute": [
          { "uuid": "a0000000-0000-4000-8000-000000000008", "type": "filename|sha256", "value": "errorzz.aspx|2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", "to_ids": true, "object_relation": "filename" },
          { "uuid": "a0000000-0000-4000-8000-000000000009", "type": "md5", "value": "not-a-hash", "to_ids": true }
        ]
      }
    ]
  }
}
`;

export const TEXT_LIST = `# analyst list: type detected, optional type column and comment
203.0.113.20
198.51.100.0/25, scanning range
ip,203.0.113.21,seen 2022-12-20
ua,Mozilla/5.0 (compatible; Evil, Scanner; +http://evil.example)
hxxp://evil[.]example/x.aspx?a=1;b=2
"python-requests/2.99.0",scripted client
bogus-type,whatever
not an indicator at all
203.0.113.300
sha256,zz
`;

/** A CSV with a header naming its columns, in the layout Microsoft's feeds use. */
export const HEADER_CSV = `DateAdded,FirstSeen,Indicator,IndicatorType,TLP
2021-03-10,2021-03-05T10:07:29Z,9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,sha256,White
2021-03-09,,C:\\inetpub\\wwwroot\\aspnet_client\\zz-shell.aspx,filepath,White
2021-03-09,,registry-key-thing,regkey,White
`;
