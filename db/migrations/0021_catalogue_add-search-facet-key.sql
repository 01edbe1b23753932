-- Search on a large catalogue: facets are counted by grouping on one text key per row (hashing a short
-- text is several times cheaper than unnesting or hashing arrays), a procedure code is found by prefix
-- with an index, and the province filter can combine with the word index.

alter table catalogue.search_entries add column facet_key text not null default '';
update catalogue.search_entries
   set facet_key = array_to_string(sector_codes, ' ') || '|' || array_to_string(agency_codes, ' ') || '|' ||
                   coalesce(province_code, '') || '|' || array_to_string(levels, ' ') || '|' ||
                   array_to_string(audiences, ' ') || '|' || online_level;
comment on column catalogue.search_entries.facet_key is 'sectors|agencies|province|levels|audiences|online level (lists space-separated): the facet values of the row, grouped on to count facets';

create index search_entries_code_prefix_ix on catalogue.search_entries (code text_pattern_ops);
create index search_entries_province_ix on catalogue.search_entries (province_code) where province_code is not null;

-- Local variants (a province's version of a national procedure, coded national code + the province's
-- identifier groups) that carry the national name are folded under the national entry when nobody
-- filters by province or agency: 34 copies of one name are one result ("available in 34 provinces"),
-- and the national entry's facet key lists the provinces and agencies of its variants.
alter table catalogue.search_entries add column base_code text;
alter table catalogue.search_entries add column collapsed boolean not null default false;
alter table catalogue.search_entries add column local_versions integer not null default 0;
update catalogue.search_entries set base_code = substring(code from '^[0-9]\.[0-9]{6}') where code ~ '^[0-9]\.[0-9]{6}\.';
create index search_entries_base_ix on catalogue.search_entries (base_code) where base_code is not null;
comment on column catalogue.search_entries.base_code is 'For a local variant (1.001193.000.00.00.H26): the national code it implements (1.001193)';
comment on column catalogue.search_entries.collapsed is 'A local variant with the same name as its indexed national procedure: hidden unless the search filters by province or agency';
comment on column catalogue.search_entries.local_versions is 'For a national procedure: how many collapsed local variants it has';
-- What a search without a place reads: the words of every entry that is not folded under another.
create index search_entries_document_open_ix on catalogue.search_entries using gin (document) where not collapsed;
