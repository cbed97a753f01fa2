-- The program's history: one row per stored transaction, one per event, the wallets each event
-- concerns, what the events say about devices' owners and positions' co-stakers, and the cursor.
-- Portable SQL (SQLite and PostgreSQL); integers are BIGINT, token amounts base units.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE transactions (
    seq BIGINT PRIMARY KEY,
    signature TEXT NOT NULL UNIQUE,
    slot BIGINT NOT NULL,
    block_time BIGINT,
    failed BIGINT NOT NULL,
    events BIGINT NOT NULL
);

CREATE TABLE events (
    signature TEXT NOT NULL,
    event_index BIGINT NOT NULL,
    tx_seq BIGINT NOT NULL,
    slot BIGINT NOT NULL,
    block_time BIGINT,
    instruction_index BIGINT NOT NULL,
    name TEXT NOT NULL,
    device TEXT,
    wallets TEXT NOT NULL,
    position_seq BIGINT,
    amount BIGINT,
    owner_part BIGINT,
    position_part BIGINT,
    block_id BIGINT,
    data TEXT NOT NULL,
    PRIMARY KEY (signature, event_index)
);
CREATE INDEX events_by_device ON events (device, tx_seq);
CREATE INDEX events_by_seq ON events (tx_seq);

CREATE TABLE event_wallets (
    wallet TEXT NOT NULL,
    signature TEXT NOT NULL,
    event_index BIGINT NOT NULL,
    tx_seq BIGINT NOT NULL,
    PRIMARY KEY (wallet, signature, event_index)
);
CREATE INDEX event_wallets_by_seq ON event_wallets (wallet, tx_seq);

CREATE TABLE devices (
    device TEXT PRIMARY KEY,
    owner TEXT NOT NULL
);

CREATE TABLE positions (
    device TEXT NOT NULL,
    seq BIGINT NOT NULL,
    costaker TEXT NOT NULL,
    principal BIGINT NOT NULL,
    reward_share_bps BIGINT NOT NULL,
    filled_at BIGINT,
    filled_signature TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (device, seq)
);
CREATE INDEX positions_by_costaker ON positions (costaker);

CREATE TABLE cursor (
    id BIGINT PRIMARY KEY,
    signature TEXT NOT NULL,
    slot BIGINT NOT NULL,
    block_time BIGINT
);
