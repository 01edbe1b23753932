-- Districts and communes as versioned administrative units (db/reference: districts-2025-03.csv,
-- communes-2025-03.csv, communes-2025.csv).
--
-- Until 30 June 2025 local government had three levels: province, district (quận, huyện, thị xã,
-- thành phố thuộc tỉnh) and commune (xã, phường, thị trấn). From 1 July 2025 it has two: the 34
-- provinces and 3,321 communes (xã, phường, đặc khu) directly under them. A commune before July 2025
-- has its district as parent; a commune after, its province. Every unit also carries the province it
-- lies in on the same dates, so that "the communes of province P on date D" is one indexed filter
-- whichever the parent is.
--
-- Kinds follow the name prefix: Phường → ward, Xã → commune, Thị trấn → township, Đặc khu →
-- special-zone; Quận → urban-district, Huyện → district, Thị xã → town, Thành phố → city (a city of a
-- province at district level; at province level, a centrally-run city). Until now 'town' was listed as
-- a commune kind (thị trấn): a commune stored that way becomes a township.

alter table agencies.admin_units
  drop constraint admin_units_level_ck,
  drop constraint admin_units_code_ck,
  drop constraint admin_units_kind_ck,
  drop constraint admin_units_parent_ck;

alter table agencies.admin_units add column province_code text;
update agencies.admin_units set province_code = case when level = 'province' then code else parent_code end;
update agencies.admin_units set kind = 'township' where level = 'commune' and kind = 'town';
alter table agencies.admin_units alter column province_code set not null;

alter table agencies.admin_units
  add constraint admin_units_level_ck check (level in ('province', 'district', 'commune')),
  add constraint admin_units_code_ck check (
    (level = 'province' and code ~ '^[0-9]{2}$')
    or (level = 'district' and code ~ '^[0-9]{3}$')
    or (level = 'commune' and code ~ '^[0-9]{5}$')),
  add constraint admin_units_kind_ck check (
    (level = 'province' and kind in ('city', 'province'))
    or (level = 'district' and kind in ('urban-district', 'district', 'town', 'city'))
    or (level = 'commune' and kind in ('ward', 'commune', 'township', 'special-zone'))),
  add constraint admin_units_parent_ck check (
    (level = 'province' and parent_code is null)
    or (level = 'district' and parent_code ~ '^[0-9]{2}$')
    or (level = 'commune' and parent_code ~ '^[0-9]{2}([0-9])?$')),
  add constraint admin_units_province_ck check (
    province_code ~ '^[0-9]{2}$'
    and ((level = 'province' and province_code = code)
      or (length(parent_code) = 2 and province_code = parent_code)
      or (level = 'commune' and length(parent_code) = 3)));

create index admin_units_province_ix on agencies.admin_units (province_code, level);

comment on table agencies.admin_units is 'Administrative units (provinces, districts until 30 June 2025, communes), one row per version';
comment on column agencies.admin_units.code is 'Statistical code: 2 digits for a province, 3 for a district, 5 for a commune; codes are reused by later versions (00004 is Phường Trúc Bạch until 30 June 2025, Phường Ba Đình from 1 July 2025)';
comment on column agencies.admin_units.level is 'province, district (until 30 June 2025) or commune';
comment on column agencies.admin_units.name is 'Official name in Vietnamese (NFC). A province without its kind prefix (Hà Nội, not Thành phố Hà Nội); a district or commune in full as published, prefix included (Quận Ba Đình, Phường Ba Đình, Phường 1), since a bare "1" means nothing';
comment on column agencies.admin_units.name_en is 'English name in the customary unaccented form (Ha Noi City, Ba Dinh Ward, District 1)';
comment on column agencies.admin_units.kind is 'By level — province: city (centrally-run), province; district: urban-district (quận), district (huyện), town (thị xã), city (thành phố thuộc tỉnh); commune: ward (phường), commune (xã), township (thị trấn), special-zone (đặc khu)';
comment on column agencies.admin_units.parent_code is 'Code of the unit directly above, resolved on the same date: for a district its province; for a commune until 30 June 2025 its district, from 1 July 2025 its province; null for a province';
comment on column agencies.admin_units.province_code is 'Code of the province the unit lies in, resolved on the same date (for a commune under a district, the district''s province); for a province, its own code';
