DROP TABLE passkeys;
DROP TABLE passkey_handles;
