"""Open311 GeoReport v2 server at ``/open311/v2/``: case categories as services, public cases as
service requests, and new requests from client applications holding an API key."""
