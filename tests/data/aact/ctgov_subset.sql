-- The AACT tables drug-viewer reads, copied from AACT's published DDL:
--   https://github.com/ctti-clinicaltrials/aact  db/ctgov_v2.sql (commit 4dbc577dd66b083d069b931972cdbf110b074697)
-- Changes, all mechanical: schema ctgov_v2 renamed ctgov (the name on AACT's public server and in its
-- database snapshots); only the tables and the primary keys drug-viewer uses; sequences, views and
-- functions left out. result_groups.outcome_id is added as the current mapping writes it
-- (app/models/outcome.rb: outcome groups are children of an outcome; app/models/result_group.rb:
-- belongs_to :outcome and indexes groups by [nct_id, ctgov_group_code, outcome_id]).

CREATE SCHEMA IF NOT EXISTS ctgov;

CREATE TABLE ctgov.studies (
    nct_id character varying,
    nlm_download_date_description character varying,
    study_first_submitted_date date,
    results_first_submitted_date date,
    disposition_first_submitted_date date,
    last_update_submitted_date date,
    study_first_submitted_qc_date date,
    study_first_posted_date date,
    study_first_posted_date_type character varying,
    results_first_submitted_qc_date date,
    results_first_posted_date date,
    results_first_posted_date_type character varying,
    disposition_first_submitted_qc_date date,
    disposition_first_posted_date date,
    disposition_first_posted_date_type character varying,
    last_update_submitted_qc_date date,
    last_update_posted_date date,
    last_update_posted_date_type character varying,
    start_month_year character varying,
    start_date_type character varying,
    start_date date,
    verification_month_year character varying,
    verification_date date,
    completion_month_year character varying,
    completion_date_type character varying,
    completion_date date,
    primary_completion_month_year character varying,
    primary_completion_date_type character varying,
    primary_completion_date date,
    target_duration character varying,
    study_type character varying,
    acronym character varying,
    baseline_population text,
    brief_title text,
    official_title text,
    overall_status character varying,
    last_known_status character varying,
    phase character varying,
    enrollment integer,
    enrollment_type character varying,
    source character varying,
    limitations_and_caveats character varying,
    number_of_arms integer,
    number_of_groups integer,
    why_stopped character varying,
    has_expanded_access boolean,
    expanded_access_type_individual boolean,
    expanded_access_type_intermediate boolean,
    expanded_access_type_treatment boolean,
    has_dmc boolean,
    is_fda_regulated_drug boolean,
    is_fda_regulated_device boolean,
    is_unapproved_device boolean,
    is_ppsd boolean,
    is_us_export boolean,
    biospec_retention character varying,
    biospec_description text,
    ipd_time_frame character varying,
    ipd_access_criteria character varying,
    ipd_url character varying,
    plan_to_share_ipd character varying,
    plan_to_share_ipd_description character varying,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    source_class character varying,
    delayed_posting character varying,
    expanded_access_nctid character varying,
    expanded_access_status_for_nctid character varying,
    fdaaa801_violation boolean,
    baseline_type_units_analyzed character varying
);

CREATE TABLE ctgov.conditions (
    id integer NOT NULL,
    nct_id character varying,
    name character varying,
    downcase_name character varying
);

CREATE TABLE ctgov.browse_conditions (
    id integer NOT NULL,
    nct_id character varying,
    mesh_term character varying,
    downcase_mesh_term character varying,
    mesh_type character varying
);

CREATE TABLE ctgov.browse_interventions (
    id integer NOT NULL,
    nct_id character varying,
    mesh_term character varying,
    downcase_mesh_term character varying,
    mesh_type character varying
);

CREATE TABLE ctgov.design_groups (
    id integer NOT NULL,
    nct_id character varying,
    group_type character varying,
    title character varying,
    description text
);

CREATE TABLE ctgov.interventions (
    id integer NOT NULL,
    nct_id character varying,
    intervention_type character varying,
    name character varying,
    description text
);

CREATE TABLE ctgov.intervention_other_names (
    id integer NOT NULL,
    nct_id character varying,
    intervention_id integer,
    name character varying
);

CREATE TABLE ctgov.design_group_interventions (
    id integer NOT NULL,
    nct_id character varying,
    design_group_id integer,
    intervention_id integer
);

CREATE TABLE ctgov.result_groups (
    id integer NOT NULL,
    nct_id character varying,
    ctgov_group_code character varying,
    result_type character varying,
    title character varying,
    description text,
    outcome_id integer
);

CREATE TABLE ctgov.outcomes (
    id integer NOT NULL,
    nct_id character varying,
    outcome_type character varying,
    title text,
    description text,
    time_frame text,
    population text,
    anticipated_posting_date date,
    anticipated_posting_month_year character varying,
    units character varying,
    units_analyzed character varying,
    dispersion_type character varying,
    param_type character varying
);

CREATE TABLE ctgov.outcome_counts (
    id integer NOT NULL,
    nct_id character varying,
    outcome_id integer,
    result_group_id integer,
    ctgov_group_code character varying,
    scope character varying,
    units character varying,
    count integer
);

CREATE TABLE ctgov.outcome_measurements (
    id integer NOT NULL,
    nct_id character varying,
    outcome_id integer,
    result_group_id integer,
    ctgov_group_code character varying,
    classification character varying,
    category character varying,
    title character varying,
    description text,
    units character varying,
    param_type character varying,
    param_value character varying,
    param_value_num numeric,
    dispersion_type character varying,
    dispersion_value character varying,
    dispersion_value_num numeric,
    dispersion_lower_limit numeric,
    dispersion_upper_limit numeric,
    explanation_of_na text,
    dispersion_upper_limit_raw character varying,
    dispersion_lower_limit_raw character varying
);

CREATE TABLE ctgov.outcome_analyses (
    id integer NOT NULL,
    nct_id character varying,
    outcome_id integer,
    non_inferiority_type character varying,
    non_inferiority_description text,
    param_type character varying,
    param_value numeric,
    dispersion_type character varying,
    dispersion_value numeric,
    p_value_modifier character varying,
    p_value double precision,
    ci_n_sides character varying,
    ci_percent numeric,
    ci_lower_limit numeric,
    ci_upper_limit numeric,
    ci_upper_limit_na_comment character varying,
    p_value_description character varying,
    method character varying,
    method_description text,
    estimate_description text,
    groups_description text,
    other_analysis_description text,
    ci_upper_limit_raw character varying,
    ci_lower_limit_raw character varying,
    p_value_raw character varying
);

CREATE TABLE ctgov.outcome_analysis_groups (
    id integer NOT NULL,
    nct_id character varying,
    outcome_analysis_id integer,
    result_group_id integer,
    ctgov_group_code character varying
);

CREATE TABLE ctgov.reported_events (
    id integer NOT NULL,
    nct_id character varying,
    result_group_id integer,
    ctgov_group_code character varying,
    time_frame text,
    event_type character varying,
    default_vocab character varying,
    default_assessment character varying,
    subjects_affected integer,
    subjects_at_risk integer,
    description text,
    event_count integer,
    organ_system character varying,
    adverse_event_term character varying,
    frequency_threshold integer,
    vocab character varying,
    assessment character varying
);

CREATE TABLE ctgov.reported_event_totals (
    id integer NOT NULL,
    nct_id character varying NOT NULL,
    ctgov_group_code character varying NOT NULL,
    event_type character varying,
    classification character varying NOT NULL,
    subjects_affected integer,
    subjects_at_risk integer,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);

ALTER TABLE ONLY ctgov.conditions ADD CONSTRAINT conditions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.browse_conditions ADD CONSTRAINT browse_conditions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.browse_interventions ADD CONSTRAINT browse_interventions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.design_groups ADD CONSTRAINT design_groups_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.interventions ADD CONSTRAINT interventions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.intervention_other_names ADD CONSTRAINT intervention_other_names_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.design_group_interventions ADD CONSTRAINT design_group_interventions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.result_groups ADD CONSTRAINT result_groups_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.outcomes ADD CONSTRAINT outcomes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.outcome_counts ADD CONSTRAINT outcome_counts_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.outcome_measurements ADD CONSTRAINT outcome_measurements_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.outcome_analyses ADD CONSTRAINT outcome_analyses_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.outcome_analysis_groups ADD CONSTRAINT outcome_analysis_groups_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.reported_events ADD CONSTRAINT reported_events_pkey PRIMARY KEY (id);
ALTER TABLE ONLY ctgov.reported_event_totals ADD CONSTRAINT reported_event_totals_pkey PRIMARY KEY (id);
