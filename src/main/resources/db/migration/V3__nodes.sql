-- The node registry, filled from NodeAdvertised messages. Written in the SQL subset PostgreSQL
-- and H2 (PostgreSQL mode) share.
create table nodes (
    id                  text primary key,             -- the node id, also its queue name
    content_hash        text not null,                -- SHA-256 of the canonical procedures; '' until first written
    last_advertised_at  timestamp with time zone not null,
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null  -- last change of the procedures, not of the timestamp
);

create table node_procedures (
    node_id         text not null references nodes (id) on delete cascade,
    procedure_id    text not null,                    -- exact, case-sensitive as advertised
    schema_version  text not null,                    -- adverts send a string or a number; kept as text
    input_scheme    text not null,                    -- ApElement JSON as printed by ApElementJson
    output_scheme   text not null,
    position        integer not null,                 -- order within the advert
    primary key (node_id, procedure_id)
);
