--
-- PostgreSQL database dump
--

\restrict P4jLuRdJ2cCvavdTTHnL6qneGwByflrxT1PzTH1Y4xsMsOU7v9thZmOswNuKJu6

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: landgis_fixture_v1; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA landgis_fixture_v1;


--
-- Name: landgis_bump_context_generation(); Type: FUNCTION; Schema: landgis_fixture_v1; Owner: -
--

CREATE FUNCTION landgis_fixture_v1.landgis_bump_context_generation() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
            BEGIN
                UPDATE "landgis_fixture_v1"."landgis_context_state" SET generation = generation + 1 WHERE id = 1;
                RETURN NULL;
            END $$;


--
-- Name: landgis_bump_generation(); Type: FUNCTION; Schema: landgis_fixture_v1; Owner: -
--

CREATE FUNCTION landgis_fixture_v1.landgis_bump_generation() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
            BEGIN
                UPDATE "landgis_fixture_v1"."landgis_state" SET generation = generation + 1 WHERE id = 1;
                RETURN NULL;
            END $$;


--
-- Name: landgis_cut_context_pieces(); Type: FUNCTION; Schema: landgis_fixture_v1; Owner: -
--

CREATE FUNCTION landgis_fixture_v1.landgis_cut_context_pieces() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE "landgis_fixture_v1"."landgis_context_pieces";
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM "landgis_fixture_v1"."landgis_context_pieces" WHERE layer = OLD.layer AND feature_id = OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO "landgis_fixture_v1"."landgis_context_pieces" (layer, feature_id, geom_m)
                SELECT NEW.layer, NEW.id, ST_Subdivide(NEW.geom_m, 16);
            END IF;
            RETURN NULL;
        END$$;


SET default_tablespace = '';

--
-- Name: context_features; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.context_features (
    id bigint NOT NULL,
    layer text NOT NULL COLLATE pg_catalog."C",
    name text,
    feature_class text,
    epsg integer NOT NULL,
    geom public.geometry(Geometry,4326) NOT NULL,
    geom_m public.geometry GENERATED ALWAYS AS (public.st_transform(geom, epsg)) STORED,
    geom_3857 public.geometry(Geometry,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED
)
PARTITION BY LIST (layer);


--
-- Name: context_features_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

CREATE SEQUENCE landgis_fixture_v1.context_features_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: context_features_id_seq; Type: SEQUENCE OWNED BY; Schema: landgis_fixture_v1; Owner: -
--

ALTER SEQUENCE landgis_fixture_v1.context_features_id_seq OWNED BY landgis_fixture_v1.context_features.id;


SET default_table_access_method = heap;

--
-- Name: context_features_layer_roads; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.context_features_layer_roads (
    id bigint DEFAULT nextval('landgis_fixture_v1.context_features_id_seq'::regclass) NOT NULL,
    layer text NOT NULL COLLATE pg_catalog."C",
    name text,
    feature_class text,
    epsg integer NOT NULL,
    geom public.geometry(Geometry,4326) NOT NULL,
    geom_m public.geometry GENERATED ALWAYS AS (public.st_transform(geom, epsg)) STORED,
    geom_3857 public.geometry(Geometry,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED
);


--
-- Name: landgis_context_layers; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_context_layers (
    name text NOT NULL COLLATE pg_catalog."C",
    title text NOT NULL,
    kind text NOT NULL,
    feature_count integer DEFAULT 0 NOT NULL,
    bounds double precision[],
    distance_epsg integer,
    imported_at text,
    imported_by text,
    source text,
    generation bigint DEFAULT 0 NOT NULL
);


--
-- Name: landgis_context_pieces; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_context_pieces (
    layer text NOT NULL COLLATE pg_catalog."C",
    feature_id bigint NOT NULL,
    geom_m public.geometry NOT NULL
)
PARTITION BY LIST (layer);


--
-- Name: landgis_context_state; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_context_state (
    id integer NOT NULL,
    generation bigint NOT NULL,
    CONSTRAINT landgis_context_state_id_check CHECK ((id = 1))
);


--
-- Name: landgis_enquiries; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_enquiries (
    id bigint NOT NULL,
    reference text NOT NULL COLLATE pg_catalog."C",
    received_at text NOT NULL COLLATE pg_catalog."C",
    parcel_codes text NOT NULL,
    company text,
    contact_name text,
    phone text,
    email text,
    industry text,
    investment_wan double precision,
    jobs bigint,
    message text,
    language text NOT NULL,
    requirement text,
    consent_at text NOT NULL COLLATE pg_catalog."C",
    status text NOT NULL,
    project_id bigint,
    erased_at text COLLATE pg_catalog."C",
    erased_by text,
    version bigint NOT NULL,
    CONSTRAINT landgis_enquiries_status_check CHECK ((status = ANY (ARRAY['new'::text, 'read'::text, 'converted'::text, 'closed'::text])))
);


--
-- Name: landgis_enquiries_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_enquiries ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_enquiries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: landgis_login_attempts; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_login_attempts (
    id bigint NOT NULL,
    token text NOT NULL,
    key text NOT NULL,
    at_s double precision NOT NULL
);


--
-- Name: landgis_login_attempts_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_login_attempts ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_login_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: landgis_meta; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_meta (
    key text NOT NULL,
    value text NOT NULL
);


--
-- Name: landgis_parcel_changes; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_parcel_changes (
    id bigint NOT NULL,
    changed_at text NOT NULL COLLATE pg_catalog."C",
    actor text NOT NULL,
    parcel_id integer NOT NULL,
    parcel_code text NOT NULL,
    field text NOT NULL,
    old_value jsonb,
    new_value jsonb,
    source text NOT NULL,
    version integer NOT NULL
);


--
-- Name: landgis_parcel_changes_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_parcel_changes ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_parcel_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: landgis_pieces_roads; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_pieces_roads (
    layer text NOT NULL COLLATE pg_catalog."C",
    feature_id bigint NOT NULL,
    geom_m public.geometry NOT NULL
);


--
-- Name: landgis_pipeline_changes; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_pipeline_changes (
    id bigint NOT NULL,
    changed_at text NOT NULL COLLATE pg_catalog."C",
    actor text NOT NULL,
    record text NOT NULL,
    record_id bigint NOT NULL,
    field text NOT NULL,
    old_value jsonb,
    new_value jsonb,
    source text NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT landgis_pipeline_changes_record_check CHECK ((record = ANY (ARRAY['enquiry'::text, 'project'::text, 'problem'::text]))),
    CONSTRAINT landgis_pipeline_changes_source_check CHECK ((source = ANY (ARRAY['form'::text, 'enquiry'::text, 'erasure'::text])))
);


--
-- Name: landgis_pipeline_changes_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_pipeline_changes ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_pipeline_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: landgis_problems; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_problems (
    id bigint NOT NULL,
    project_id bigint,
    parcel_code text COLLATE pg_catalog."C",
    title text NOT NULL,
    department text NOT NULL,
    due_date text COLLATE pg_catalog."C",
    status text NOT NULL,
    notes text,
    public boolean NOT NULL,
    created_at text NOT NULL COLLATE pg_catalog."C",
    updated_at text NOT NULL COLLATE pg_catalog."C",
    solved_at text COLLATE pg_catalog."C",
    version bigint NOT NULL,
    CONSTRAINT landgis_problems_check CHECK (((project_id IS NULL) <> (parcel_code IS NULL))),
    CONSTRAINT landgis_problems_status_check CHECK ((status = ANY (ARRAY['open'::text, 'solved'::text])))
);


--
-- Name: landgis_problems_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_problems ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_problems_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: landgis_project_notes; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_project_notes (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    written_at text NOT NULL COLLATE pg_catalog."C",
    author text NOT NULL,
    text text NOT NULL
);


--
-- Name: landgis_project_notes_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_project_notes ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_project_notes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: landgis_project_parcels; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_project_parcels (
    project_id bigint NOT NULL,
    parcel_code text NOT NULL COLLATE pg_catalog."C",
    "position" bigint NOT NULL
);


--
-- Name: landgis_projects; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_projects (
    id bigint NOT NULL,
    name text NOT NULL,
    company text,
    contact text,
    industry text,
    investment_wan double precision,
    jobs bigint,
    stage text NOT NULL,
    stage_since text NOT NULL COLLATE pg_catalog."C",
    signed_on text COLLATE pg_catalog."C",
    started_on text COLLATE pg_catalog."C",
    drop_reason text,
    street text,
    owner text,
    next_action text,
    next_action_due text COLLATE pg_catalog."C",
    enquiry_id bigint,
    created_at text NOT NULL COLLATE pg_catalog."C",
    updated_at text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    CONSTRAINT landgis_projects_stage_check CHECK ((stage = ANY (ARRAY['lead'::text, 'negotiating'::text, 'signed'::text, 'started'::text, 'producing'::text, 'dropped'::text])))
);


--
-- Name: landgis_projects_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_projects ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: landgis_state; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_state (
    id integer NOT NULL,
    generation bigint NOT NULL,
    CONSTRAINT landgis_state_id_check CHECK ((id = 1))
);


--
-- Name: landgis_summary_cache; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_summary_cache (
    name text NOT NULL,
    filter_key text NOT NULL,
    generation bigint NOT NULL,
    value jsonb NOT NULL
);


--
-- Name: landgis_users; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.landgis_users (
    id integer NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    password_hash text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    login_epoch integer DEFAULT 1 NOT NULL,
    created_at text NOT NULL,
    CONSTRAINT landgis_users_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'editor'::text, 'admin'::text])))
);


--
-- Name: landgis_users_id_seq; Type: SEQUENCE; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.landgis_users ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME landgis_fixture_v1.landgis_users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: parcels; Type: TABLE; Schema: landgis_fixture_v1; Owner: -
--

CREATE TABLE landgis_fixture_v1.parcels (
    id integer NOT NULL,
    code text NOT NULL COLLATE pg_catalog."C",
    name text,
    land_use text NOT NULL COLLATE pg_catalog."C",
    street text COLLATE pg_catalog."C",
    location text,
    status text NOT NULL COLLATE pg_catalog."C",
    supply_method text,
    lease_years integer,
    far_min double precision,
    far_max double precision,
    density_min_pct double precision,
    density_max_pct double precision,
    green_min_pct double precision,
    green_max_pct double precision,
    height_max_m double precision,
    price_start_wan double precision,
    deposit_wan double precision,
    invest_min_wan_per_mu double precision,
    tax_min_wan_per_mu double precision,
    contact text,
    note text,
    land_use_source text,
    area_m2 double precision NOT NULL,
    extra jsonb DEFAULT '{}'::jsonb NOT NULL,
    published smallint DEFAULT 1 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_at text COLLATE pg_catalog."C",
    geom public.geometry(MultiPolygon,4326),
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    CONSTRAINT parcels_published_check CHECK ((published = ANY (ARRAY[0, 1])))
);


--
-- Name: context_features_layer_roads; Type: TABLE ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.context_features ATTACH PARTITION landgis_fixture_v1.context_features_layer_roads FOR VALUES IN ('roads');


--
-- Name: landgis_pieces_roads; Type: TABLE ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_context_pieces ATTACH PARTITION landgis_fixture_v1.landgis_pieces_roads FOR VALUES IN ('roads');


--
-- Name: context_features id; Type: DEFAULT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.context_features ALTER COLUMN id SET DEFAULT nextval('landgis_fixture_v1.context_features_id_seq'::regclass);


--
-- Data for Name: context_features_layer_roads; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.context_features_layer_roads (id, layer, name, feature_class, epsg, geom) FROM stdin;
1	roads	示例路	主干路	4549	0102000020E6100000020000000000000000A05D403333333333B33F40E17A14AE47A15D40F6285C8FC2B53F40
\.


--
-- Data for Name: landgis_context_layers; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_context_layers (name, title, kind, feature_count, bounds, distance_epsg, imported_at, imported_by, source, generation) FROM stdin;
roads	道路	road	1	{118.5,31.7,118.52,31.71}	4549	2026-12-07T23:31:53+00:00	fixture	\N	2
\.


--
-- Data for Name: landgis_context_state; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_context_state (id, generation) FROM stdin;
1	2
\.


--
-- Data for Name: landgis_enquiries; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_enquiries (id, reference, received_at, parcel_codes, company, contact_name, phone, email, industry, investment_wan, jobs, message, language, requirement, consent_at, status, project_id, erased_at, erased_by, version) FROM stdin;
1	ZS-20261208-Y5TRYU	2026-12-07T23:31:53+00:00	["T-001"]	示例机械有限公司	王经理	13812345678	wang@example.com	intelligent_equipment	12500.5	120	希望了解供地时间	zh	land_use=0601	2026-03-01T08:00:00+00:00	new	\N	\N	\N	1
\.


--
-- Data for Name: landgis_login_attempts; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_login_attempts (id, token, key, at_s) FROM stdin;
\.


--
-- Data for Name: landgis_meta; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_meta (key, value) FROM stdin;
schema_version	1
\.


--
-- Data for Name: landgis_parcel_changes; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_parcel_changes (id, changed_at, actor, parcel_id, parcel_code, field, old_value, new_value, source, version) FROM stdin;
1	2026-12-07T23:31:53+00:00	fixture-admin	1	T-001	status	"available"	"洽谈中"	edit	2
2	2026-12-07T23:31:53+00:00	fixture-admin	1	T-001	contact	null	"招商局 0555-1234567"	edit	2
3	2026-12-07T23:31:53+00:00	fixture-admin	1	T-001	status	"洽谈中"	"可供"	edit	3
\.


--
-- Data for Name: landgis_pieces_roads; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_pieces_roads (layer, feature_id, geom_m) FROM stdin;
roads	1	0102000020C511000002000000188EEB9485D615416A043EBC9EC64A4178A5D4EE62F4154158378644BCC84A41
\.


--
-- Data for Name: landgis_pipeline_changes; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_pipeline_changes (id, changed_at, actor, record, record_id, field, old_value, new_value, source, version) FROM stdin;
1	2026-12-07T23:31:53+00:00	investor	enquiry	1	created	null	"ZS-20261208-Y5TRYU"	form	1
2	2026-12-07T23:31:53+00:00	fixture	project	1	created	null	"示例齿轮项目"	form	1
\.


--
-- Data for Name: landgis_problems; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_problems (id, project_id, parcel_code, title, department, due_date, status, notes, public, created_at, updated_at, solved_at, version) FROM stdin;
\.


--
-- Data for Name: landgis_project_notes; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_project_notes (id, project_id, written_at, author, text) FROM stdin;
\.


--
-- Data for Name: landgis_project_parcels; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_project_parcels (project_id, parcel_code, "position") FROM stdin;
1	T-001	0
\.


--
-- Data for Name: landgis_projects; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_projects (id, name, company, contact, industry, investment_wan, jobs, stage, stage_since, signed_on, started_on, drop_reason, street, owner, next_action, next_action_due, enquiry_id, created_at, updated_at, version) FROM stdin;
1	示例齿轮项目	示例机械有限公司	王经理	intelligent_equipment	30000	200	lead	2026-12-08	\N	\N	\N	慈湖街道	fixture-admin	约谈企业	2026-04-01	\N	2026-12-07T23:31:53+00:00	2026-12-07T23:31:53+00:00	1
\.


--
-- Data for Name: landgis_state; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_state (id, generation) FROM stdin;
1	4
\.


--
-- Data for Name: landgis_summary_cache; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_summary_cache (name, filter_key, generation, value) FROM stdin;
bounds	{"area_max_mu": null, "area_min_mu": null, "bbox": null, "include_drafts": false, "land_uses": [], "statuses": [], "streets": [], "text": null}	2	[118.49991754, 31.69999571, 118.51356058, 31.71187649]
landuse_breakdown	{"area_max_mu": null, "area_min_mu": null, "bbox": null, "include_drafts": false, "land_uses": [], "statuses": [], "streets": [], "text": null}	2	[["1401", 1, 89955.92349563616], ["110101", 1, 19990.124854404752], ["100101", 1, 9994.933814543856], ["0901", 1, 1998.9824453252486]]
\.


--
-- Data for Name: landgis_users; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.landgis_users (id, name, role, password_hash, active, login_epoch, created_at) FROM stdin;
1	fixture-admin	admin	scrypt:32768:8:1$fixture$not-a-real-hash	t	1	2026-12-07T23:31:53+00:00
\.


--
-- Data for Name: parcels; Type: TABLE DATA; Schema: landgis_fixture_v1; Owner: -
--

COPY landgis_fixture_v1.parcels (id, code, name, land_use, street, location, status, supply_method, lease_years, far_min, far_max, density_min_pct, density_max_pct, green_min_pct, green_max_pct, height_max_m, price_start_wan, deposit_wan, invest_min_wan_per_mu, tax_min_wan_per_mu, contact, note, land_use_source, area_m2, extra, published, version, updated_at, geom) FROM stdin;
2	T-002	塘西街道测试物流地块	110101	塘西街道	测试路以南	negotiating	auction	50	1	2	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	110101	19990.124854404752	{}	1	1	2026-12-07T23:31:52+00:00	0106000020E610000001000000010300000001000000050000002175F9DE78A05D4084DB779838B33F4027A068A278A05D40A79222AE73B33F40DAA4891456A05D4055EE910F72B33F4063F32F5156A05D404F2A12FA36B33F402175F9DE78A05D4084DB779838B33F40
3	T-003	软件园100%地块	0901	金家庄街道	\N	sold	tender	40	\N	3.5	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	0901	1998.9824453252486	{}	1	1	2026-12-07T23:31:52+00:00	0106000020E61000000100000001030000000100000005000000A6CDFE6107A05D40A25DE8BE5AB43F40CA19AB4907A05D40D7781B6172B43F40CB3F23A6FE9F5D40C0AC16F971B43F40A7F376BEFE9F5D408A91E3565AB43F40A6CDFE6107A05D40A25DE8BE5AB43F40
4	T-004	塘西街道滨江绿地	1401	塘西街道	沿江	reserve	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	1401	89955.92349563616	{}	1	1	2026-12-07T23:31:52+00:00	0106000020E6100000010000000103000000010000000500000059E7312DDEA05D401225CE488CB53F40A9F13578DDA05D405E57A3893DB63F401A73CFA1A9A05D40F4320E1E3BB63F4094C83657AAA05D40A80039DD89B53F4059E7312DDEA05D401225CE488CB53F40
1	T-001	金家庄街道测试工业地块	100101	金家庄街道	测试路以北	可供	listing	50	1.2	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	招商局 0555-1234567	\N	100101	9994.933814543856	{}	1	3	2026-12-07T23:31:53+00:00	0106000020E61000000100000001030000000100000005000000ADACA73511A05D40806243BB33B33F40066BD6F810A05D408626C3D06EB33F4027AAF1B1FF9F5D40578EB9006EB33F4095A8CDEEFF9F5D4051CA39EB32B33F40ADACA73511A05D40806243BB33B33F40
\.


--
-- Name: context_features_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.context_features_id_seq', 1, true);


--
-- Name: landgis_enquiries_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_enquiries_id_seq', 1, true);


--
-- Name: landgis_login_attempts_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_login_attempts_id_seq', 1, false);


--
-- Name: landgis_parcel_changes_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_parcel_changes_id_seq', 3, true);


--
-- Name: landgis_pipeline_changes_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_pipeline_changes_id_seq', 2, true);


--
-- Name: landgis_problems_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_problems_id_seq', 1, false);


--
-- Name: landgis_project_notes_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_project_notes_id_seq', 1, false);


--
-- Name: landgis_projects_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_projects_id_seq', 1, true);


--
-- Name: landgis_users_id_seq; Type: SEQUENCE SET; Schema: landgis_fixture_v1; Owner: -
--

SELECT pg_catalog.setval('landgis_fixture_v1.landgis_users_id_seq', 1, true);


--
-- Name: context_features context_features_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.context_features
    ADD CONSTRAINT context_features_pkey PRIMARY KEY (layer, id);


--
-- Name: context_features_layer_roads context_features_layer_roads_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.context_features_layer_roads
    ADD CONSTRAINT context_features_layer_roads_pkey PRIMARY KEY (layer, id);


--
-- Name: landgis_context_layers landgis_context_layers_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_context_layers
    ADD CONSTRAINT landgis_context_layers_pkey PRIMARY KEY (name);


--
-- Name: landgis_context_state landgis_context_state_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_context_state
    ADD CONSTRAINT landgis_context_state_pkey PRIMARY KEY (id);


--
-- Name: landgis_enquiries landgis_enquiries_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_enquiries
    ADD CONSTRAINT landgis_enquiries_pkey PRIMARY KEY (id);


--
-- Name: landgis_enquiries landgis_enquiries_reference_key; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_enquiries
    ADD CONSTRAINT landgis_enquiries_reference_key UNIQUE (reference);


--
-- Name: landgis_login_attempts landgis_login_attempts_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_login_attempts
    ADD CONSTRAINT landgis_login_attempts_pkey PRIMARY KEY (id);


--
-- Name: landgis_meta landgis_meta_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_meta
    ADD CONSTRAINT landgis_meta_pkey PRIMARY KEY (key);


--
-- Name: landgis_parcel_changes landgis_parcel_changes_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_parcel_changes
    ADD CONSTRAINT landgis_parcel_changes_pkey PRIMARY KEY (id);


--
-- Name: landgis_pipeline_changes landgis_pipeline_changes_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_pipeline_changes
    ADD CONSTRAINT landgis_pipeline_changes_pkey PRIMARY KEY (id);


--
-- Name: landgis_problems landgis_problems_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_problems
    ADD CONSTRAINT landgis_problems_pkey PRIMARY KEY (id);


--
-- Name: landgis_project_notes landgis_project_notes_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_project_notes
    ADD CONSTRAINT landgis_project_notes_pkey PRIMARY KEY (id);


--
-- Name: landgis_project_parcels landgis_project_parcels_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_project_parcels
    ADD CONSTRAINT landgis_project_parcels_pkey PRIMARY KEY (project_id, "position");


--
-- Name: landgis_projects landgis_projects_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_projects
    ADD CONSTRAINT landgis_projects_pkey PRIMARY KEY (id);


--
-- Name: landgis_state landgis_state_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_state
    ADD CONSTRAINT landgis_state_pkey PRIMARY KEY (id);


--
-- Name: landgis_summary_cache landgis_summary_cache_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_summary_cache
    ADD CONSTRAINT landgis_summary_cache_pkey PRIMARY KEY (name, filter_key);


--
-- Name: landgis_users landgis_users_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.landgis_users
    ADD CONSTRAINT landgis_users_pkey PRIMARY KEY (id);


--
-- Name: parcels parcels_pkey; Type: CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE ONLY landgis_fixture_v1.parcels
    ADD CONSTRAINT parcels_pkey PRIMARY KEY (id);


--
-- Name: context_features_geom_3857_gist; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX context_features_geom_3857_gist ON ONLY landgis_fixture_v1.context_features USING gist (geom_3857);


--
-- Name: context_features_geom_gist; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX context_features_geom_gist ON ONLY landgis_fixture_v1.context_features USING gist (geom);


--
-- Name: context_features_geom_m_gist; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX context_features_geom_m_gist ON ONLY landgis_fixture_v1.context_features USING gist (geom_m);


--
-- Name: context_features_layer_roads_geom_3857_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX context_features_layer_roads_geom_3857_idx ON landgis_fixture_v1.context_features_layer_roads USING gist (geom_3857);


--
-- Name: context_features_layer_roads_geom_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX context_features_layer_roads_geom_idx ON landgis_fixture_v1.context_features_layer_roads USING gist (geom);


--
-- Name: context_features_layer_roads_geom_m_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX context_features_layer_roads_geom_m_idx ON landgis_fixture_v1.context_features_layer_roads USING gist (geom_m);


--
-- Name: landgis_context_pieces_feature; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_context_pieces_feature ON ONLY landgis_fixture_v1.landgis_context_pieces USING btree (layer, feature_id);


--
-- Name: landgis_context_pieces_geom_m_gist; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_context_pieces_geom_m_gist ON ONLY landgis_fixture_v1.landgis_context_pieces USING gist (geom_m);


--
-- Name: landgis_enquiries_received_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_enquiries_received_idx ON landgis_fixture_v1.landgis_enquiries USING btree (received_at);


--
-- Name: landgis_enquiries_status_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_enquiries_status_idx ON landgis_fixture_v1.landgis_enquiries USING btree (status, received_at);


--
-- Name: landgis_login_attempts_key_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_login_attempts_key_idx ON landgis_fixture_v1.landgis_login_attempts USING btree (key, at_s);


--
-- Name: landgis_parcel_changes_parcel_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_parcel_changes_parcel_idx ON landgis_fixture_v1.landgis_parcel_changes USING btree (parcel_id, version);


--
-- Name: landgis_parcel_changes_time_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_parcel_changes_time_idx ON landgis_fixture_v1.landgis_parcel_changes USING btree (changed_at);


--
-- Name: landgis_pieces_roads_geom_m_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_pieces_roads_geom_m_idx ON landgis_fixture_v1.landgis_pieces_roads USING gist (geom_m);


--
-- Name: landgis_pieces_roads_layer_feature_id_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_pieces_roads_layer_feature_id_idx ON landgis_fixture_v1.landgis_pieces_roads USING btree (layer, feature_id);


--
-- Name: landgis_pipeline_changes_ordered_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_pipeline_changes_ordered_idx ON landgis_fixture_v1.landgis_pipeline_changes USING btree (changed_at);


--
-- Name: landgis_pipeline_changes_record_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_pipeline_changes_record_idx ON landgis_fixture_v1.landgis_pipeline_changes USING btree (record, record_id);


--
-- Name: landgis_problems_department_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_problems_department_idx ON landgis_fixture_v1.landgis_problems USING btree (department);


--
-- Name: landgis_problems_due_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_problems_due_idx ON landgis_fixture_v1.landgis_problems USING btree (due_date);


--
-- Name: landgis_problems_parcel_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_problems_parcel_idx ON landgis_fixture_v1.landgis_problems USING btree (parcel_code);


--
-- Name: landgis_problems_project_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_problems_project_idx ON landgis_fixture_v1.landgis_problems USING btree (project_id);


--
-- Name: landgis_problems_status_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_problems_status_idx ON landgis_fixture_v1.landgis_problems USING btree (status, due_date);


--
-- Name: landgis_project_notes_project_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_project_notes_project_idx ON landgis_fixture_v1.landgis_project_notes USING btree (project_id, written_at);


--
-- Name: landgis_project_parcels_code_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_project_parcels_code_idx ON landgis_fixture_v1.landgis_project_parcels USING btree (parcel_code);


--
-- Name: landgis_projects_enquiry_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_projects_enquiry_idx ON landgis_fixture_v1.landgis_projects USING btree (enquiry_id);


--
-- Name: landgis_projects_owner_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_projects_owner_idx ON landgis_fixture_v1.landgis_projects USING btree (owner);


--
-- Name: landgis_projects_stage_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_projects_stage_idx ON landgis_fixture_v1.landgis_projects USING btree (stage);


--
-- Name: landgis_projects_updated_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX landgis_projects_updated_idx ON landgis_fixture_v1.landgis_projects USING btree (updated_at);


--
-- Name: landgis_users_name_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE UNIQUE INDEX landgis_users_name_idx ON landgis_fixture_v1.landgis_users USING btree (lower(name));


--
-- Name: parcels_area_m2_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX parcels_area_m2_idx ON landgis_fixture_v1.parcels USING btree (area_m2);


--
-- Name: parcels_code_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE UNIQUE INDEX parcels_code_idx ON landgis_fixture_v1.parcels USING btree (code);


--
-- Name: parcels_geom_3857_gist; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX parcels_geom_3857_gist ON landgis_fixture_v1.parcels USING gist (geom_3857);


--
-- Name: parcels_geom_gist; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX parcels_geom_gist ON landgis_fixture_v1.parcels USING gist (geom);


--
-- Name: parcels_land_use_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX parcels_land_use_idx ON landgis_fixture_v1.parcels USING btree (land_use) INCLUDE (published, area_m2);


--
-- Name: parcels_selection_cover_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX parcels_selection_cover_idx ON landgis_fixture_v1.parcels USING btree (status, land_use, area_m2) INCLUDE (published, id, code, name, street, price_start_wan, far_min, far_max, lease_years);


--
-- Name: parcels_status_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX parcels_status_idx ON landgis_fixture_v1.parcels USING btree (status);


--
-- Name: parcels_street_idx; Type: INDEX; Schema: landgis_fixture_v1; Owner: -
--

CREATE INDEX parcels_street_idx ON landgis_fixture_v1.parcels USING btree (street);


--
-- Name: context_features_layer_roads_geom_3857_idx; Type: INDEX ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER INDEX landgis_fixture_v1.context_features_geom_3857_gist ATTACH PARTITION landgis_fixture_v1.context_features_layer_roads_geom_3857_idx;


--
-- Name: context_features_layer_roads_geom_idx; Type: INDEX ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER INDEX landgis_fixture_v1.context_features_geom_gist ATTACH PARTITION landgis_fixture_v1.context_features_layer_roads_geom_idx;


--
-- Name: context_features_layer_roads_geom_m_idx; Type: INDEX ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER INDEX landgis_fixture_v1.context_features_geom_m_gist ATTACH PARTITION landgis_fixture_v1.context_features_layer_roads_geom_m_idx;


--
-- Name: context_features_layer_roads_pkey; Type: INDEX ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER INDEX landgis_fixture_v1.context_features_pkey ATTACH PARTITION landgis_fixture_v1.context_features_layer_roads_pkey;


--
-- Name: landgis_pieces_roads_geom_m_idx; Type: INDEX ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER INDEX landgis_fixture_v1.landgis_context_pieces_geom_m_gist ATTACH PARTITION landgis_fixture_v1.landgis_pieces_roads_geom_m_idx;


--
-- Name: landgis_pieces_roads_layer_feature_id_idx; Type: INDEX ATTACH; Schema: landgis_fixture_v1; Owner: -
--

ALTER INDEX landgis_fixture_v1.landgis_context_pieces_feature ATTACH PARTITION landgis_fixture_v1.landgis_pieces_roads_layer_feature_id_idx;


--
-- Name: context_features landgis_context_features_changed; Type: TRIGGER; Schema: landgis_fixture_v1; Owner: -
--

CREATE TRIGGER landgis_context_features_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON landgis_fixture_v1.context_features FOR EACH STATEMENT EXECUTE FUNCTION landgis_fixture_v1.landgis_bump_context_generation();


--
-- Name: context_features landgis_context_pieces_kept; Type: TRIGGER; Schema: landgis_fixture_v1; Owner: -
--

CREATE TRIGGER landgis_context_pieces_kept AFTER INSERT OR DELETE OR UPDATE ON landgis_fixture_v1.context_features FOR EACH ROW EXECUTE FUNCTION landgis_fixture_v1.landgis_cut_context_pieces();


--
-- Name: context_features landgis_context_pieces_truncated; Type: TRIGGER; Schema: landgis_fixture_v1; Owner: -
--

CREATE TRIGGER landgis_context_pieces_truncated AFTER TRUNCATE ON landgis_fixture_v1.context_features FOR EACH STATEMENT EXECUTE FUNCTION landgis_fixture_v1.landgis_cut_context_pieces();


--
-- Name: parcels landgis_parcels_changed; Type: TRIGGER; Schema: landgis_fixture_v1; Owner: -
--

CREATE TRIGGER landgis_parcels_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON landgis_fixture_v1.parcels FOR EACH STATEMENT EXECUTE FUNCTION landgis_fixture_v1.landgis_bump_generation();


--
-- Name: context_features context_features_layer_fkey; Type: FK CONSTRAINT; Schema: landgis_fixture_v1; Owner: -
--

ALTER TABLE landgis_fixture_v1.context_features
    ADD CONSTRAINT context_features_layer_fkey FOREIGN KEY (layer) REFERENCES landgis_fixture_v1.landgis_context_layers(name);


--
-- PostgreSQL database dump complete
--

\unrestrict P4jLuRdJ2cCvavdTTHnL6qneGwByflrxT1PzTH1Y4xsMsOU7v9thZmOswNuKJu6

