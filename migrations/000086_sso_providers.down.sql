DROP TABLE sso_domains;
DROP TABLE sso_providers;
