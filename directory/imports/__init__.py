"""Partner imports (docs/imports.md): parsers for CSV, GeoJSON and OpenStreetMap's Overpass JSON
(parsers.py), OSM opening hours into the merchant's structured hours (osm_hours.py), duplicate
rules (dedupe.py), and the import itself (services.py)."""
