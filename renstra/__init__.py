"""renstra-as-code: the Renstra Sekretariat Daerah Kabupaten Lumajang 2024–2026 as source, built into PDF and DOCX."""
