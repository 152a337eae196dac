"""The diagnosis rules: words in `loglens/rules.toml`, one small check per rule in the module of its family
(`config`, `connection`, `transport`, `session`, `platform`), and the engine that pairs and runs them."""
