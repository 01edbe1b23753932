-- Comments that 0020 left out: every column of the catalogue's tables says what it holds.
comment on column catalogue.procedure_versions.created_at is 'When the version was created';
comment on column catalogue.search_entries.code is 'The procedure (catalogue.procedures.code)';
comment on column catalogue.search_entries.name is 'Name of the public version, as shown in results';
comment on column catalogue.version_events.id is 'Order of the events';
comment on column catalogue.version_events.code is 'The procedure';
comment on column catalogue.version_events.version is 'The version the action was taken on';
