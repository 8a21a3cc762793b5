CREATE TYPE st AS ENUM ('low', 'high');
