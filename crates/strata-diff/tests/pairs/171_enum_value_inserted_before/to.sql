CREATE TYPE st AS ENUM ('low', 'mid', 'high');
