-- Users, API keys and refresh tokens. Written in the SQL subset PostgreSQL and H2 (PostgreSQL
-- mode) share, so the embedded default runs the very same migrations.
create table users (
    id              uuid primary key,
    username        varchar(64)  not null,
    username_key    varchar(64)  not null,  -- lower-cased: names are unique case-insensitively
    password_hash   varchar(255) not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint users_username_key_unique unique (username_key)
);

create table api_keys (
    id              uuid primary key,
    user_id         uuid not null references users (id) on delete cascade,
    name            varchar(100) not null,
    key_hash        varchar(64)  not null,  -- hex SHA-256 of the random key
    valid_until     timestamp with time zone,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint api_keys_user_name_unique unique (user_id, name),
    constraint api_keys_key_hash_unique unique (key_hash)
);

create table refresh_tokens (
    id              uuid primary key,
    user_id         uuid not null references users (id) on delete cascade,
    family_id       uuid not null,
    token_hash      varchar(64) not null,
    expires_at      timestamp with time zone not null,
    used_at         timestamp with time zone,
    revoked_at      timestamp with time zone,
    created_at      timestamp with time zone not null,
    constraint refresh_tokens_hash_unique unique (token_hash)
);
create index refresh_tokens_family on refresh_tokens (family_id);
create index refresh_tokens_user on refresh_tokens (user_id);
