-- Official per-year schedules of days off and swapped working days (the Government's announced Tết
-- and National Day schedules, compensatory days), as data. When a year has rows for a holiday, they
-- replace the days computed from the Labour Code for that holiday in that year.

create table platform.calendar_overrides (
  date date not null,
  year integer not null,
  holiday text not null,
  kind text not null,
  name text not null,
  name_en text not null,
  source text not null,
  constraint calendar_overrides_pk primary key (date),
  constraint calendar_overrides_kind_ck check (kind in ('off', 'working')),
  constraint calendar_overrides_year_ck check (year between 1990 and 2100),
  constraint calendar_overrides_holiday_ck check (holiday ~ '^[a-z][a-z0-9-]{1,39}$'),
  constraint calendar_overrides_source_ck check (length(source) > 0)
);
create index calendar_overrides_year_ix on platform.calendar_overrides (year);
comment on table platform.calendar_overrides is 'Announced civil-service schedules that replace the computed holidays of a year';
comment on column platform.calendar_overrides.date is 'The day (Vietnam calendar date)';
comment on column platform.calendar_overrides.year is 'The schedule year the row belongs to (a Tết break may start in the previous calendar year)';
comment on column platform.calendar_overrides.holiday is 'Which holiday it replaces: new-year, tet, hung-kings, reunification, labour-day, national-day, or extra';
comment on column platform.calendar_overrides.kind is 'off (a day off) or working (a weekend day worked in exchange)';
comment on column platform.calendar_overrides.name is 'Name shown in Vietnamese';
comment on column platform.calendar_overrides.name_en is 'Name shown in English';
comment on column platform.calendar_overrides.source is 'The announcement it comes from (document number)';
