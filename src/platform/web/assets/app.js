/*
 * Cổng Dịch vụ công — progressive enhancement only: every page works without this file.
 * Nothing is enhanced yet; modules add their behaviour here (live search, charts) as they need it.
 */
