-- Filing: where the dossier goes, chosen before the e-form; the applicant's ID number and folded name on
-- the dossier, for the public lookup (its last 4 characters) and the officers' inbox search.
--
-- The place (nơi giải quyết): the province, and the commune when the matter is decided at commune level,
-- chosen on its own step of the filing (a province, then a searchable list of its communes). Until this
-- migration the place was read from the first address in the e-form; drafts saved before it have none and
-- are asked for it again.

alter table dossiers.drafts
  add column place_level text,
  add column place_province_code text,
  add column place_commune_code text,
  add constraint drafts_place_level_ck check (place_level is null or place_level in ('commune', 'province', 'central')),
  add constraint drafts_place_province_ck check (place_province_code is null or place_province_code ~ '^[0-9]{2}$'),
  add constraint drafts_place_commune_ck check (place_commune_code is null or place_commune_code ~ '^[0-9]{5}$'),
  add constraint drafts_place_commune_level_ck check (place_commune_code is null or place_level = 'commune');
comment on column dossiers.drafts.place_level is 'The level of government the applicant files with (commune, province or central), among those the procedure allows; null until chosen';
comment on column dossiers.drafts.place_province_code is 'The province (2-digit statistical code, valid today) the matter belongs to; null until chosen';
comment on column dossiers.drafts.place_commune_code is 'The commune, ward or special zone (5-digit statistical code) when the level is commune';

-- The applicant's ID number: the personal identification number of a citizen, the tax code of a business
-- or organisation, as their account holds it when the dossier is filed. The public lookup asks for its
-- last 4 characters; officers search their inbox by it.
alter table dossiers.dossiers
  add column applicant_id_number text,
  add column applicant_name_folded text,
  add constraint dossiers_applicant_id_number_ck check (
    applicant_id_number is null or applicant_id_number ~ '^[0-9]{10,12}(-[0-9]{3})?$'),
  add constraint dossiers_applicant_name_folded_ck check (
    applicant_name_folded is null or length(applicant_name_folded) <= 300);
comment on column dossiers.dossiers.applicant_id_number is 'The applicant''s personal identification number (12 digits) or tax code (10, 10-3 or 12 digits) when filed; null for dossiers filed before it was kept and not found in their e-form';
comment on column dossiers.dossiers.applicant_name_folded is 'The applicant''s name without diacritics, lower case (đ → d), for the officers'' search';

-- Dossiers filed before: the ID number from the e-form where it was given there (soDinhDanh, maSoThue),
-- the folded name from the name (the same folding as platform/i18n foldVietnamese for Vietnamese letters).
update dossiers.dossiers
   set applicant_id_number = case
         when form_data->>'soDinhDanh' ~ '^[0-9]{12}$' and applicant_kind = 'citizen' then form_data->>'soDinhDanh'
         when form_data->>'maSoThue' ~ '^[0-9]{10}(-[0-9]{3})?$' and applicant_kind <> 'citizen' then form_data->>'maSoThue'
       end,
       applicant_name_folded = left(btrim(regexp_replace(lower(translate(applicant_name,
         'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ',
         'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')),
         '\s+', ' ', 'g')), 300);

create index dossiers_applicant_id_number_ix on dossiers.dossiers (applicant_id_number) where applicant_id_number is not null;
comment on index dossiers.dossiers_applicant_id_number_ix is 'Officers'' inbox search by the applicant''s ID number';
