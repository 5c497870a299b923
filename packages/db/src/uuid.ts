const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string in UUID form: what a `uuid` column accepts (anything else makes PostgreSQL throw). */
export const isUuid = (value: string): boolean => UUID.test(value);
