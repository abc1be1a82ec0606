"""renstra-as-code: a Renstra Perangkat Daerah kept as Markdown and YAML, built into PDF and DOCX."""
