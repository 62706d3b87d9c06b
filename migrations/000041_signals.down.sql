DROP TABLE IF EXISTS signal_responses;
DROP TABLE IF EXISTS signals;
