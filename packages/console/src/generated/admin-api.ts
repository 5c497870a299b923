// Generated from the admin OpenAPI document (GET /docs/json) by openapi-typescript; do not edit.
// Regenerate: UPDATE_API_TYPES=1 npx vitest run services/admin/src/openapi/console-api-types.int.test.ts

export interface paths {
    "/api/auth/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's API keys (never the keys themselves) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: The caller's API keys (never the keys themselves) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKey"][];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a personal API key (the key is in this response only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Created: Create a personal API key (the key is in this response only) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedApiKey"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key (requests with it get 401 at once) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with email and password; sets the session and CSRF cookies */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description OK: Sign in with email and password; sets the session and CSRF cookies */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["User"];
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out this session (clears the cookies) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out every one of the caller's sessions, in every browser */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller and their workspaces */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: The caller and their workspaces */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Me"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The identity provider's redirect back: signs in and redirects to / */
        get: {
            parameters: {
                query?: {
                    code?: string;
                    error?: string;
                    error_description?: string;
                    state?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description signed in: to the console */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not ready (a dependency is unreachable or the service is shutting down) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/oidc/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Redirect to the identity provider to sign in (authorization code + PKCE) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description to the identity provider */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not ready (a dependency is unreachable or the service is shutting down) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create the first owner and their workspace with the one-time link's token; signs in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        name: string;
                        password: string;
                        token: string;
                        workspace_name: string;
                    };
                };
            };
            responses: {
                /** @description Created: Create the first owner and their workspace with the one-time link's token; signs in */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["User"];
                            workspace: components["schemas"]["Workspace"];
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Gone: already used (e.g. the first-owner setup was done already) */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the first owner must be set up, whether sign-in is OIDC, and who is signed in */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Whether the first owner must be set up, whether sign-in is OIDC, and who is signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuthStatus"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the caller's bots, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description only this workspace */
                    workspace_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: List the caller's bots, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Bot"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a WhatsApp bot (inactive until activated) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "WhatsApp Support Bot",
                     *       "platform": "whatsapp",
                     *       "workspace_id": "0b6c1f5e-3f1e-4a57-9c1d-1f2e3d4c5b6a",
                     *       "system_prompt": "You are a helpful WhatsApp assistant for Acme Corp.",
                     *       "platform_config": {
                     *         "phone_number_id": "123456789012345",
                     *         "access_token": "EAABsbCS...",
                     *         "verify_token": "my-verify-token-xyz",
                     *         "app_secret": "abc123def456..."
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @description the key of the bot's LLM provider (settings.llm.provider); stored encrypted, never returned */
                        llm_api_key?: string;
                        name: string;
                        /** @enum {string} */
                        platform: "whatsapp";
                        platform_config: {
                            /** @description System User access token; stored encrypted, never returned */
                            access_token: string;
                            /** @description Meta app secret for X-Hub-Signature-256 verification (recommended); stored encrypted */
                            app_secret?: string;
                            business_account_id?: string | null;
                            /** @description WhatsApp phone number id (digits) */
                            phone_number_id: string;
                            /** @description token Meta echoes in the webhook verification; stored encrypted */
                            verify_token: string;
                        };
                        /** @description per-bot overrides; defaults apply to what is left out */
                        settings?: {
                            /** @default null */
                            fallback_template?: {
                                language: string;
                                name: string;
                                /** @default [] */
                                parameters?: string[];
                            } | null;
                            /**
                             * @default {
                             *       "keywords": [],
                             *       "auto_resume_after_s": null,
                             *       "notice": null,
                             *       "unassigned_alert_after_s": null
                             *     }
                             */
                            handoff?: {
                                /** @default null */
                                auto_resume_after_s?: number | null;
                                /** @default [] */
                                keywords?: string[];
                                /** @default null */
                                notice?: string | null;
                                /** @default null */
                                unassigned_alert_after_s?: number | null;
                            };
                            /**
                             * @default {
                             *       "turns": 20,
                             *       "chars": 12000
                             *     }
                             */
                            history?: {
                                /** @default 12000 */
                                chars?: number;
                                /** @default 20 */
                                turns?: number;
                            };
                            /** @default {} */
                            llm?: {
                                /** Format: uri */
                                base_url?: string;
                                fallback_model?: string;
                                model?: string;
                                /** @enum {string} */
                                provider?: "openai" | "anthropic" | "google" | "openai-compatible";
                                temperature?: number;
                                vision?: boolean;
                            };
                            /** @default 90 */
                            media_retention_days?: number | null;
                            /** @default 80 */
                            rate_limit_per_second?: number;
                            /**
                             * @default {
                             *       "debounce_ms": 0,
                             *       "max_wait_ms": 10000
                             *     }
                             */
                            turn?: {
                                /** @default 0 */
                                debounce_ms?: number;
                                /** @default 10000 */
                                max_wait_ms?: number;
                            };
                            /** @default false */
                            typing_indicator?: boolean;
                        };
                        /** @default  */
                        system_prompt?: string;
                        /** Format: uuid */
                        workspace_id: string;
                    };
                };
            };
            responses: {
                /** @description Created: Create a WhatsApp bot (inactive until activated) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Bot"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One bot, with credential health and webhook diagnostics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: One bot, with credential health and webhook diagnostics */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BotDetail"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a bot (it stops answering at once; history is kept) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Update a bot; replacing access_token resets credential health to unknown */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description null removes it */
                        llm_api_key?: string | null;
                        name?: string;
                        /** @enum {string} */
                        platform?: "whatsapp";
                        platform_config?: {
                            /** @description System User access token; stored encrypted, never returned */
                            access_token?: string;
                            /** @description null removes it (signatures are then not verified) */
                            app_secret?: string | null;
                            business_account_id?: string | null;
                            /** @description WhatsApp phone number id (digits) */
                            phone_number_id?: string;
                            /** @description token Meta echoes in the webhook verification; stored encrypted */
                            verify_token?: string;
                        };
                        /** @description replaces the whole settings object */
                        settings?: {
                            /** @default null */
                            fallback_template?: {
                                language: string;
                                name: string;
                                /** @default [] */
                                parameters?: string[];
                            } | null;
                            /**
                             * @default {
                             *       "keywords": [],
                             *       "auto_resume_after_s": null,
                             *       "notice": null,
                             *       "unassigned_alert_after_s": null
                             *     }
                             */
                            handoff?: {
                                /** @default null */
                                auto_resume_after_s?: number | null;
                                /** @default [] */
                                keywords?: string[];
                                /** @default null */
                                notice?: string | null;
                                /** @default null */
                                unassigned_alert_after_s?: number | null;
                            };
                            /**
                             * @default {
                             *       "turns": 20,
                             *       "chars": 12000
                             *     }
                             */
                            history?: {
                                /** @default 12000 */
                                chars?: number;
                                /** @default 20 */
                                turns?: number;
                            };
                            /** @default {} */
                            llm?: {
                                /** Format: uri */
                                base_url?: string;
                                fallback_model?: string;
                                model?: string;
                                /** @enum {string} */
                                provider?: "openai" | "anthropic" | "google" | "openai-compatible";
                                temperature?: number;
                                vision?: boolean;
                            };
                            /** @default 90 */
                            media_retention_days?: number | null;
                            /** @default 80 */
                            rate_limit_per_second?: number;
                            /**
                             * @default {
                             *       "debounce_ms": 0,
                             *       "max_wait_ms": 10000
                             *     }
                             */
                            turn?: {
                                /** @default 0 */
                                debounce_ms?: number;
                                /** @default 10000 */
                                max_wait_ms?: number;
                            };
                            /** @default false */
                            typing_indicator?: boolean;
                        };
                        system_prompt?: string;
                    };
                };
            };
            responses: {
                /** @description OK: Update a bot; replacing access_token resets credential health to unknown */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Bot"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/bots/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Activate a bot: returns the webhook URL to enter in the Meta portal and any warnings */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Activate a bot: returns the webhook URL to enter in the Meta portal and any warnings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Activation"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots/{id}/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A bot's conversations, most recently active first, with window state and last message */
        get: {
            parameters: {
                query?: {
                    /** @description next_cursor of the previous page */
                    cursor?: string;
                    /** @description page size (1–200) */
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: A bot's conversations, most recently active first, with window state and last message */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Conversation"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deactivate a bot: it stops answering at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Deactivate a bot: it stops answering at once */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Bot"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots/{id}/tool-calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Calls of the bot’s HTTP tools, newest first: outcome, HTTP status, duration, error */
        get: {
            parameters: {
                query?: {
                    /** @description next_cursor of the previous page */
                    cursor?: string;
                    /** @description page size (1–200) */
                    limit?: number;
                    /** @description only calls that ended so */
                    status?: "ok" | "http_error" | "invalid_arguments" | "blocked" | "timeout" | "network_error" | "too_many_redirects" | "unavailable";
                    /** @description only calls of this tool */
                    tool_id?: string;
                    /** @description only this turn's calls (its last inbound message id) */
                    turn_id?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Calls of the bot’s HTTP tools, newest first: outcome, HTTP status, duration, error */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["ToolCall"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots/{id}/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bot’s HTTP tools, by name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: The bot’s HTTP tools, by name */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["HttpTool"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add an HTTP tool the bot’s model may call */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description what the tool does and when to call it, for the model */
                        description: string;
                        /**
                         * @description sent with every call (e.g. Authorization); stored encrypted, never returned
                         * @default {}
                         */
                        headers?: {
                            [key: string]: string;
                        };
                        /**
                         * @description the answer is cut here before the model sees it
                         * @default 32768
                         */
                        max_response_bytes?: number;
                        /**
                         * @description POST sends the arguments as a JSON body, GET as the query
                         * @default POST
                         * @enum {string}
                         */
                        method?: "GET" | "POST";
                        /** @description the function name the model calls: ^[a-zA-Z0-9_-]{1,64}$, not a built-in action */
                        name: string;
                        /**
                         * @description JSON Schema (an object schema, draft-07 or 2020-12) of the arguments
                         * @default {
                         *       "type": "object",
                         *       "properties": {}
                         *     }
                         */
                        parameters?: {
                            [key: string]: components["schemas"]["schema0"];
                        };
                        /** @default 10000 */
                        timeout_ms?: number;
                        /** @description http(s) endpoint; private and internal addresses are refused at call time */
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Created: Add an HTTP tool the bot’s model may call */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HttpTool"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots/{id}/tools/{toolId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One HTTP tool */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    toolId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: One HTTP tool */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HttpTool"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an HTTP tool (its recorded calls stay, by name) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    toolId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Update an HTTP tool; headers are merged (null removes one) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    toolId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        /** @description merged into the stored headers (names match case-insensitively); null removes one */
                        headers?: {
                            [key: string]: string | null;
                        };
                        max_response_bytes?: number;
                        /** @enum {string} */
                        method?: "GET" | "POST";
                        name?: string;
                        parameters?: {
                            [key: string]: components["schemas"]["schema0"];
                        };
                        timeout_ms?: number;
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description OK: Update an HTTP tool; headers are merged (null removes one) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HttpTool"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/bots/{id}/verify-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bot's verify token in clear (the value to enter in the Meta portal) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: The bot's verify token in clear (the value to enter in the Meta portal) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            verify_token: string;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bots/webhook/whatsapp/{botId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Meta's verification handshake
         * @description Meta calls this when you press "Verify and save" in its portal. Answered by the ingress; each attempt is recorded in the bot's `diagnostics.last_verification`.
         */
        get: {
            parameters: {
                query?: {
                    /** @example 1158201444 */
                    "hub.challenge"?: string;
                    /** @example subscribe */
                    "hub.mode"?: "subscribe";
                    /** @description equal (case-sensitive) to the bot's verify token */
                    "hub.verify_token"?: string;
                };
                header?: never;
                path: {
                    /** @description the bot id from `POST /api/bots` */
                    botId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Verified: the `hub.challenge` value as the plain-text body */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /** @example 1158201444 */
                        "text/plain": string;
                    };
                };
                /** @description Wrong mode or verify token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown or inactive bot */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * A notification from Meta (messages, statuses)
         * @description Where the bot has an `app_secret`, `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the exact raw body>` is required. The raw event is durably enqueued before the 200. Nothing a sender puts in the body makes it answer 5xx (a 503 means the queue is unreachable: Meta retries).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @example sha256=3f9c… */
                    "X-Hub-Signature-256"?: string;
                };
                path: {
                    /** @description the bot id from `POST /api/bots` */
                    botId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "object": "whatsapp_business_account",
                     *       "entry": [
                     *         {
                     *           "id": "102290129340398",
                     *           "changes": [
                     *             {
                     *               "field": "messages",
                     *               "value": {
                     *                 "messaging_product": "whatsapp",
                     *                 "metadata": {
                     *                   "display_phone_number": "15550783881",
                     *                   "phone_number_id": "106540352242922"
                     *                 },
                     *                 "contacts": [
                     *                   {
                     *                     "profile": {
                     *                       "name": "Sheena Nelson"
                     *                     },
                     *                     "wa_id": "16505551234"
                     *                   }
                     *                 ],
                     *                 "messages": [
                     *                   {
                     *                     "from": "16505551234",
                     *                     "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                     *                     "timestamp": "1749416383",
                     *                     "type": "text",
                     *                     "text": {
                     *                       "body": "Does it come in another color?"
                     *                     }
                     *                   }
                     *                 ]
                     *               }
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        entry: Record<string, never>[];
                        /** @enum {string} */
                        object: "whatsapp_business_account";
                    };
                };
            };
            responses: {
                /** @description Accepted: durably enqueued */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status?: "accepted";
                        };
                    };
                };
                /** @description Not JSON, not UTF-8, not a WhatsApp envelope, or nested too deep */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Signature missing or wrong: nothing enqueued */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown or inactive bot */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body over WEBHOOK_BODY_LIMIT_BYTES */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The queue is unreachable: retry later (Meta does) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One conversation: control (bot or human), assignee, handoff reason, resume time, window */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: One conversation: control (bot or human), assignee, handoff reason, resume time, window */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/conversations/{id}/handoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hand the conversation to a person: no message the bot generates reaches the user until it is resumed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description optional: no body hands over with reason operator */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description user id of a member of the workspace; null unassigns */
                        assignee?: string | null;
                        /** @description why, for the team (default: operator) */
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description OK: Hand the conversation to a person: no message the bot generates reaches the user until it is resumed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/conversations/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Messages of a conversation, both directions, newest first (a reply's parts by part index, last first), with delivery status, attempts and errors */
        get: {
            parameters: {
                query?: {
                    /** @description next_cursor of the previous page */
                    cursor?: string;
                    /** @description page size (1–200) */
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Messages of a conversation, both directions, newest first (a reply's parts by part index, last first), with delivery status, attempts and errors */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * An operator's text or media message, sent through the bot's delivery path; hands the conversation over if it was not already
         * @description JSON `{text}`, or `{media: {type, url, caption?, filename?}}` to send a file by link; or multipart/form-data with `type`, `caption?`, `filename?` and `file` to upload it (the worker uploads it to Meta at send time). Meta's limits apply per type: image JPEG/PNG ≤ 5 MB, video MP4/3GPP ≤ 16 MB, audio AAC/AMR/MP3/M4A/OGG ≤ 16 MB, document PDF/TXT/Office ≤ 100 MB; a caption (≤ 1024) on image, video and document only, a file name on documents only. 413 over the limit, 415 for a file type the media type does not allow, 400 for a bad form.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description JSON `{text}` or `{media: {type, url, caption?, filename?}}`; or, to upload the file, multipart/form-data with the fields `type`, `caption?`, `filename?` and `file` (send `type` before `file`) */
            requestBody: {
                content: {
                    "application/json": {
                        media?: {
                            /** @description image, video and document only */
                            caption?: string;
                            /** @description document only (its extension picks the icon); default: the link's file name */
                            filename?: string;
                            /**
                             * @description image (JPEG, PNG ≤ 5 MB), video (MP4, 3GPP ≤ 16 MB), audio (AAC, AMR, MP3, M4A, OGG/Opus ≤ 16 MB), document (PDF, TXT, Word, Excel, PowerPoint ≤ 100 MB)
                             * @enum {string}
                             */
                            type: "image" | "document" | "audio" | "video";
                            /** @description not in JSON: an upload is the multipart/form-data form of this route */
                            upload?: unknown;
                            /**
                             * Format: uri
                             * @description a public https URL Meta fetches the file from
                             */
                            url: string;
                        };
                        text?: string;
                    } | null;
                    "multipart/form-data": {
                        /** @description image, video and document only */
                        caption?: string;
                        /**
                         * Format: binary
                         * @description the file; its bytes must be one of the type's MIME types (image: image/jpeg, image/png; document: text/plain, application/pdf, application/msword, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/vnd.ms-excel, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/vnd.ms-powerpoint, application/vnd.openxmlformats-officedocument.presentationml.presentation; audio: audio/aac, audio/amr, audio/mpeg, audio/mp4, audio/ogg; video: video/mp4, video/3gpp); at most image ≤ 5 MB, document ≤ 100 MB, audio ≤ 16 MB, video ≤ 16 MB
                         */
                        file: string;
                        /** @description document only; default: the uploaded file's name */
                        filename?: string;
                        /**
                         * @description send it before file
                         * @enum {string}
                         */
                        type: "image" | "document" | "audio" | "video";
                    };
                };
            };
            responses: {
                /** @description Accepted: stored and queued for delivery: An operator's text or media message, sent through the bot's delivery path; hands the conversation over if it was not already */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            conversation: components["schemas"]["Conversation"];
                            job_id: string;
                            message: components["schemas"]["Message"];
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Payload too large: the file is over Meta's limit for its media type (`error.details.max_bytes`) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported media type: a content type, or a file type, this route does not take */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not ready (a dependency is unreachable or the service is shutting down) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/conversations/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give the conversation back to the bot: it answers the next message */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Give the conversation back to the bot: it answers the next message */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/conversations/{id}/template": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send an approved template (e.g. to re-open a closed 24-hour window); queued for the worker */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description template language code, e.g. en_US */
                        language: string;
                        /** @description approved template name */
                        name: string;
                        /**
                         * @description body parameters {{1}}, {{2}}, ...
                         * @default []
                         */
                        parameters?: string[];
                    };
                };
            };
            responses: {
                /** @description Accepted: stored and queued for delivery: Send an approved template (e.g. to re-open a closed 24-hour window); queued for the worker */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            conversation_id: string;
                            /**
                             * Format: uuid
                             * @description the outbound message created
                             */
                            id: string;
                            job_id: string;
                            /** @enum {string} */
                            status: "pending";
                            /** @description the 24-hour customer-service window */
                            window: {
                                /** @description when Meta refused a send with 131047 (window closed) after the last inbound message; the window shows closed */
                                closed_by_meta_at: string | null;
                                /** @description last inbound + 24 h */
                                expires_at: string | null;
                                open: boolean;
                            };
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not ready (a dependency is unreachable or the service is shutting down) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Failed jobs (retries exhausted) of the caller's bots, newest first */
        get: {
            parameters: {
                query?: {
                    bot_id?: string;
                    limit?: number;
                    queue?: "conversations" | "outbound" | "webhook-events";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Failed jobs (retries exhausted) of the caller's bots, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["DeadLetter"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dead-letters/{queue}/{jobId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a failed job back to its queue for another round of attempts */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    jobId: string;
                    queue: "conversations" | "outbound" | "webhook-events";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Send a failed job back to its queue for another round of attempts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            job_id: string;
                            /** @enum {string} */
                            queue: "conversations" | "outbound" | "webhook-events";
                            /** @enum {string} */
                            status: "retried";
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events of a workspace (Server-Sent Events): message.created, message.status, message.updated, conversation.control, handoff.waiting
         * @description text/event-stream. Each event has `id` (the stream entry id), `event` (its type) and `data` (JSON with workspace_id, bot_id, conversation_id and the event fields). Reconnect with the `Last-Event-ID` header (or `?last_event_id=`) to get the events missed meanwhile; an `event: reset` (`data: {}`) means some are gone: refetch. A `: ping` comment every 15 s.
         */
        get: {
            parameters: {
                query: {
                    /** @description for EventSource reconnects that cannot set the Last-Event-ID header */
                    last_event_id?: string;
                    workspace_id: string;
                };
                header?: {
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invitations/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What an invite link is for (public: the link is the credential) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: What an invite link is for (public: the link is the credential) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PublicInvitation"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invitations/{token}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invitation: with {name, password} as a new account (signs in), or signed in as the current account */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    token: string;
                };
                cookie?: never;
            };
            /** @description name and password create a new account; signed in, send an empty body */
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        password?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Created: Accept an invitation: with {name, password} as a new account (signs in), or signed in as the current account */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["User"];
                            workspace: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                                /** @enum {string} */
                                role: "admin" | "member";
                            };
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messages/{id}/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The file of an inbound media message, with its MIME type (members of the message's workspace only; 404 when no file is stored) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the file (binary) with its MIME type */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's workspaces */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: The caller's workspaces */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Workspace"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a workspace; the caller becomes its owner */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Created: Create a workspace; the caller becomes its owner */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Workspace"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workspaces/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One workspace */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: One workspace */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Workspace"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workspaces/{id}/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who changed what in the workspace, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description next_cursor of the previous page */
                    cursor?: string;
                    /** @description page size (1–200) */
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Who changed what in the workspace, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AuditEntry"][];
                            /** @description pass as ?cursor= for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workspaces/{id}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pending invitations (neither accepted nor expired), newest first (owners and admins) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: Pending invitations (neither accepted nor expired), newest first (owners and admins) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Invitation"][];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Invite someone by email (owners and admins); the invite link is in this response only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        /**
                         * @default member
                         * @enum {string}
                         */
                        role?: "admin" | "member";
                    };
                };
            };
            responses: {
                /** @description Created: Invite someone by email (owners and admins); the invite link is in this response only */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedInvitation"];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workspaces/{id}/invitations/{invId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Withdraw an invitation (its link stops working) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    invId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description withdrawn */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workspaces/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's members, oldest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK: The workspace's members, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WorkspaceMember"][];
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a member (owners only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @default member
                         * @enum {string}
                         */
                        role?: "owner" | "admin" | "member";
                        /** @description the `sub` of the user to add */
                        user_id: string;
                    };
                };
            };
            responses: {
                /** @description Created: Add a member (owners only) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601 */
                            created_at: string;
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                            user_id: string;
                            /** Format: uuid */
                            workspace_id: string;
                        };
                    };
                };
                /** @description Invalid input: `error.details` names each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Authenticated, but the caller may not do this (e.g. only owners manage members) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found — also for another workspace's resources */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state (`error.code` says which) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many requests: `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Activation: {
            id: string;
            /** @enum {boolean} */
            manual_setup_required: true;
            /** @enum {string} */
            status: "active";
            warnings: string[];
            webhook_url: string;
        };
        ActivationInput: {
            id: string;
            /** @enum {boolean} */
            manual_setup_required: true;
            /** @enum {string} */
            status: "active";
            warnings: string[];
            webhook_url: string;
        };
        ApiKey: {
            /** @description ISO 8601 */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description to the minute */
            last_used_at: string | null;
            name: string;
            /** @description the first characters of the key */
            prefix: string;
        };
        ApiKeyInput: {
            /** @description ISO 8601 */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description to the minute */
            last_used_at: string | null;
            name: string;
            /** @description the first characters of the key */
            prefix: string;
        };
        AuditEntry: {
            action: string;
            actor: string;
            bot_id: string | null;
            /** @description ISO 8601 */
            created_at: string;
            details: unknown;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            workspace_id: string;
        };
        AuditEntryInput: {
            action: string;
            actor: string;
            bot_id: string | null;
            /** @description ISO 8601 */
            created_at: string;
            details: unknown;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            workspace_id: string;
        };
        AuthStatus: {
            /** @description sign in through the identity provider (password sign-in is off) */
            oidc: boolean;
            /** @description no account exists yet: open the setup link `./run start` printed */
            setup_required: boolean;
            /** @description the signed-in user, or null */
            user: components["schemas"]["User"] | null;
        };
        AuthStatusInput: {
            /** @description sign in through the identity provider (password sign-in is off) */
            oidc: boolean;
            /** @description no account exists yet: open the setup link `./run start` printed */
            setup_required: boolean;
            /** @description the signed-in user, or null */
            user: components["schemas"]["UserInput"] | null;
        };
        Bot: {
            business_account_id: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description credential health as last seen by activation or a send */
            credentials: {
                /** @description ISO 8601 */
                checked_at: string | null;
                /** @description why Meta rejected the credentials, if it did */
                error: string | null;
                error_code: number | null;
                /** @enum {string} */
                status: "unknown" | "ok" | "invalid";
            };
            /** @enum {string} */
            credentials_status: "unknown" | "ok" | "invalid";
            health: components["schemas"]["BotHealth"];
            id: string;
            llm_api_key: components["schemas"]["SecretState"];
            name: string;
            phone_number_id: string;
            platform: string;
            platform_config: {
                access_token: components["schemas"]["SecretState"];
                app_secret: components["schemas"]["SecretState"];
                business_account_id: string | null;
                phone_number_id: string;
                verify_token: components["schemas"]["SecretState"];
            };
            settings: {
                /** @default null */
                fallback_template: {
                    language: string;
                    name: string;
                    /** @default [] */
                    parameters: string[];
                } | null;
                /**
                 * @default {
                 *       "keywords": [],
                 *       "auto_resume_after_s": null,
                 *       "notice": null,
                 *       "unassigned_alert_after_s": null
                 *     }
                 */
                handoff: {
                    /** @default null */
                    auto_resume_after_s: number | null;
                    /** @default [] */
                    keywords: string[];
                    /** @default null */
                    notice: string | null;
                    /** @default null */
                    unassigned_alert_after_s: number | null;
                };
                /**
                 * @default {
                 *       "turns": 20,
                 *       "chars": 12000
                 *     }
                 */
                history: {
                    /** @default 12000 */
                    chars: number;
                    /** @default 20 */
                    turns: number;
                };
                /** @default {} */
                llm: {
                    /** Format: uri */
                    base_url?: string;
                    fallback_model?: string;
                    model?: string;
                    /** @enum {string} */
                    provider?: "openai" | "anthropic" | "google" | "openai-compatible";
                    temperature?: number;
                    vision?: boolean;
                };
                /** @default 90 */
                media_retention_days: number | null;
                /** @default 80 */
                rate_limit_per_second: number;
                /**
                 * @default {
                 *       "debounce_ms": 0,
                 *       "max_wait_ms": 10000
                 *     }
                 */
                turn: {
                    /** @default 0 */
                    debounce_ms: number;
                    /** @default 10000 */
                    max_wait_ms: number;
                };
                /** @default false */
                typing_indicator: boolean;
            };
            /** @enum {string} */
            status: "active" | "inactive";
            system_prompt: string;
            /** @description ISO 8601 */
            updated_at: string;
            usage_totals: components["schemas"]["UsageTotals"];
            version: number;
            webhook_url: string;
            /** @description why Meta may not reach webhook_url (not HTTPS, localhost, a private address); empty when it looks public */
            webhook_url_warnings: string[];
            /** Format: uuid */
            workspace_id: string;
        };
        BotDetail: {
            business_account_id: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description credential health as last seen by activation or a send */
            credentials: {
                /** @description ISO 8601 */
                checked_at: string | null;
                /** @description why Meta rejected the credentials, if it did */
                error: string | null;
                error_code: number | null;
                /** @enum {string} */
                status: "unknown" | "ok" | "invalid";
            };
            /** @enum {string} */
            credentials_status: "unknown" | "ok" | "invalid";
            /** @description null while Redis cannot be read */
            diagnostics: components["schemas"]["BotDiagnostics"] | null;
            /** @description which engine answers this bot: its own provider, the deployment LLM or the offline demo engine */
            engine: components["schemas"]["BotEngine"];
            health: components["schemas"]["BotHealth"];
            id: string;
            llm_api_key: components["schemas"]["SecretState"];
            name: string;
            phone_number_id: string;
            platform: string;
            platform_config: {
                access_token: components["schemas"]["SecretState"];
                app_secret: components["schemas"]["SecretState"];
                business_account_id: string | null;
                phone_number_id: string;
                verify_token: components["schemas"]["SecretState"];
            };
            settings: {
                /** @default null */
                fallback_template: {
                    language: string;
                    name: string;
                    /** @default [] */
                    parameters: string[];
                } | null;
                /**
                 * @default {
                 *       "keywords": [],
                 *       "auto_resume_after_s": null,
                 *       "notice": null,
                 *       "unassigned_alert_after_s": null
                 *     }
                 */
                handoff: {
                    /** @default null */
                    auto_resume_after_s: number | null;
                    /** @default [] */
                    keywords: string[];
                    /** @default null */
                    notice: string | null;
                    /** @default null */
                    unassigned_alert_after_s: number | null;
                };
                /**
                 * @default {
                 *       "turns": 20,
                 *       "chars": 12000
                 *     }
                 */
                history: {
                    /** @default 12000 */
                    chars: number;
                    /** @default 20 */
                    turns: number;
                };
                /** @default {} */
                llm: {
                    /** Format: uri */
                    base_url?: string;
                    fallback_model?: string;
                    model?: string;
                    /** @enum {string} */
                    provider?: "openai" | "anthropic" | "google" | "openai-compatible";
                    temperature?: number;
                    vision?: boolean;
                };
                /** @default 90 */
                media_retention_days: number | null;
                /** @default 80 */
                rate_limit_per_second: number;
                /**
                 * @default {
                 *       "debounce_ms": 0,
                 *       "max_wait_ms": 10000
                 *     }
                 */
                turn: {
                    /** @default 0 */
                    debounce_ms: number;
                    /** @default 10000 */
                    max_wait_ms: number;
                };
                /** @default false */
                typing_indicator: boolean;
            };
            /** @enum {string} */
            status: "active" | "inactive";
            system_prompt: string;
            /** @description ISO 8601 */
            updated_at: string;
            usage_totals: components["schemas"]["UsageTotals"];
            version: number;
            webhook_url: string;
            /** @description why Meta may not reach webhook_url (not HTTPS, localhost, a private address); empty when it looks public */
            webhook_url_warnings: string[];
            /** Format: uuid */
            workspace_id: string;
        };
        BotDetailInput: {
            business_account_id: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description credential health as last seen by activation or a send */
            credentials: {
                /** @description ISO 8601 */
                checked_at: string | null;
                /** @description why Meta rejected the credentials, if it did */
                error: string | null;
                error_code: number | null;
                /** @enum {string} */
                status: "unknown" | "ok" | "invalid";
            };
            /** @enum {string} */
            credentials_status: "unknown" | "ok" | "invalid";
            /** @description null while Redis cannot be read */
            diagnostics: components["schemas"]["BotDiagnosticsInput"] | null;
            /** @description which engine answers this bot: its own provider, the deployment LLM or the offline demo engine */
            engine: components["schemas"]["BotEngineInput"];
            health: components["schemas"]["BotHealthInput"];
            id: string;
            llm_api_key: components["schemas"]["SecretStateInput"];
            name: string;
            phone_number_id: string;
            platform: string;
            platform_config: {
                access_token: components["schemas"]["SecretStateInput"];
                app_secret: components["schemas"]["SecretStateInput"];
                business_account_id: string | null;
                phone_number_id: string;
                verify_token: components["schemas"]["SecretStateInput"];
            };
            settings: {
                /** @default null */
                fallback_template: {
                    language: string;
                    name: string;
                    /** @default [] */
                    parameters: string[];
                } | null;
                /**
                 * @default {
                 *       "keywords": [],
                 *       "auto_resume_after_s": null,
                 *       "notice": null,
                 *       "unassigned_alert_after_s": null
                 *     }
                 */
                handoff: {
                    /** @default null */
                    auto_resume_after_s: number | null;
                    /** @default [] */
                    keywords: string[];
                    /** @default null */
                    notice: string | null;
                    /** @default null */
                    unassigned_alert_after_s: number | null;
                };
                /**
                 * @default {
                 *       "turns": 20,
                 *       "chars": 12000
                 *     }
                 */
                history: {
                    /** @default 12000 */
                    chars: number;
                    /** @default 20 */
                    turns: number;
                };
                /** @default {} */
                llm: {
                    /** Format: uri */
                    base_url?: string;
                    fallback_model?: string;
                    model?: string;
                    /** @enum {string} */
                    provider?: "openai" | "anthropic" | "google" | "openai-compatible";
                    temperature?: number;
                    vision?: boolean;
                };
                /** @default 90 */
                media_retention_days: number | null;
                /** @default 80 */
                rate_limit_per_second: number;
                /**
                 * @default {
                 *       "debounce_ms": 0,
                 *       "max_wait_ms": 10000
                 *     }
                 */
                turn: {
                    /** @default 0 */
                    debounce_ms: number;
                    /** @default 10000 */
                    max_wait_ms: number;
                };
                /** @default false */
                typing_indicator: boolean;
            };
            /** @enum {string} */
            status: "active" | "inactive";
            system_prompt: string;
            /** @description ISO 8601 */
            updated_at: string;
            usage_totals: components["schemas"]["UsageTotalsInput"];
            version: number;
            webhook_url: string;
            /** @description why Meta may not reach webhook_url (not HTTPS, localhost, a private address); empty when it looks public */
            webhook_url_warnings: string[];
            /** Format: uuid */
            workspace_id: string;
        };
        BotDiagnostics: {
            /** @description events posted to this URL for a phone number no bot of the workspace could take */
            foreign_phone_number_events: number;
            /** @description the last verification attempt at the webhook URL (Meta's "Verify and save") */
            last_verification: {
                /** @description ISO 8601 */
                at: string;
                /** @enum {string} */
                outcome: "verified" | "rejected";
                /**
                 * @description why Meta's verification GET was refused: mode_missing, mode_not_subscribe, token_missing, token_case_mismatch (the token differs only in letter case), token_mismatch, challenge_missing
                 * @enum {string|null}
                 */
                reason: "mode_missing" | "mode_not_subscribe" | "token_missing" | "token_case_mismatch" | "token_mismatch" | "challenge_missing" | null;
            } | null;
            /** @description when the last webhook POST was accepted */
            last_webhook_at: string | null;
            /** @description POSTs refused for a missing or wrong X-Hub-Signature-256 */
            rejected_signatures: number;
        };
        BotDiagnosticsInput: {
            /** @description events posted to this URL for a phone number no bot of the workspace could take */
            foreign_phone_number_events: number;
            /** @description the last verification attempt at the webhook URL (Meta's "Verify and save") */
            last_verification: {
                /** @description ISO 8601 */
                at: string;
                /** @enum {string} */
                outcome: "verified" | "rejected";
                /**
                 * @description why Meta's verification GET was refused: mode_missing, mode_not_subscribe, token_missing, token_case_mismatch (the token differs only in letter case), token_mismatch, challenge_missing
                 * @enum {string|null}
                 */
                reason: "mode_missing" | "mode_not_subscribe" | "token_missing" | "token_case_mismatch" | "token_mismatch" | "challenge_missing" | null;
            } | null;
            /** @description when the last webhook POST was accepted */
            last_webhook_at: string | null;
            /** @description POSTs refused for a missing or wrong X-Hub-Signature-256 */
            rejected_signatures: number;
        };
        BotEngine: {
            /** @description true when replies come from the built-in offline engine, not a model */
            canned: boolean;
            model: string | null;
            note: string | null;
            provider: string | null;
            /** @enum {string} */
            source: "bot" | "deployment" | "offline" | "unknown";
        };
        BotEngineInput: {
            /** @description true when replies come from the built-in offline engine, not a model */
            canned: boolean;
            model: string | null;
            note: string | null;
            provider: string | null;
            /** @enum {string} */
            source: "bot" | "deployment" | "offline" | "unknown";
        };
        /** @description the bot's outside calls as the worker last saw them */
        BotHealth: {
            /** @description what is wrong now, in words ("LLM unreachable: …"); empty when healthy */
            alerts: string[];
            /** @enum {string} */
            credentials: "unknown" | "ok" | "invalid";
            graph: {
                /** @description when the status was last recorded */
                at: string | null;
                /** @description the last failure, kept after recovery */
                last_error: components["schemas"]["LastError"] | null;
                /**
                 * @description outcome of the last call: unreachable = no answer (network, timeout, 5xx); unknown = no call yet
                 * @enum {string}
                 */
                status: "ok" | "unreachable" | "error" | "unknown";
            };
            llm: {
                /** @description when the status was last recorded */
                at: string | null;
                /** @description the last failure, kept after recovery */
                last_error: components["schemas"]["LastError"] | null;
                /**
                 * @description outcome of the last call: unreachable = no answer (network, timeout, 5xx); unknown = no call yet
                 * @enum {string}
                 */
                status: "ok" | "unreachable" | "error" | "unknown";
            };
        };
        /** @description the bot's outside calls as the worker last saw them */
        BotHealthInput: {
            /** @description what is wrong now, in words ("LLM unreachable: …"); empty when healthy */
            alerts: string[];
            /** @enum {string} */
            credentials: "unknown" | "ok" | "invalid";
            graph: {
                /** @description when the status was last recorded */
                at: string | null;
                /** @description the last failure, kept after recovery */
                last_error: components["schemas"]["LastErrorInput"] | null;
                /**
                 * @description outcome of the last call: unreachable = no answer (network, timeout, 5xx); unknown = no call yet
                 * @enum {string}
                 */
                status: "ok" | "unreachable" | "error" | "unknown";
            };
            llm: {
                /** @description when the status was last recorded */
                at: string | null;
                /** @description the last failure, kept after recovery */
                last_error: components["schemas"]["LastErrorInput"] | null;
                /**
                 * @description outcome of the last call: unreachable = no answer (network, timeout, 5xx); unknown = no call yet
                 * @enum {string}
                 */
                status: "ok" | "unreachable" | "error" | "unknown";
            };
        };
        BotInput: {
            business_account_id: string | null;
            /** @description ISO 8601 */
            created_at: string;
            /** @description credential health as last seen by activation or a send */
            credentials: {
                /** @description ISO 8601 */
                checked_at: string | null;
                /** @description why Meta rejected the credentials, if it did */
                error: string | null;
                error_code: number | null;
                /** @enum {string} */
                status: "unknown" | "ok" | "invalid";
            };
            /** @enum {string} */
            credentials_status: "unknown" | "ok" | "invalid";
            health: components["schemas"]["BotHealthInput"];
            id: string;
            llm_api_key: components["schemas"]["SecretStateInput"];
            name: string;
            phone_number_id: string;
            platform: string;
            platform_config: {
                access_token: components["schemas"]["SecretStateInput"];
                app_secret: components["schemas"]["SecretStateInput"];
                business_account_id: string | null;
                phone_number_id: string;
                verify_token: components["schemas"]["SecretStateInput"];
            };
            settings: {
                /** @default null */
                fallback_template: {
                    language: string;
                    name: string;
                    /** @default [] */
                    parameters: string[];
                } | null;
                /**
                 * @default {
                 *       "keywords": [],
                 *       "auto_resume_after_s": null,
                 *       "notice": null,
                 *       "unassigned_alert_after_s": null
                 *     }
                 */
                handoff: {
                    /** @default null */
                    auto_resume_after_s: number | null;
                    /** @default [] */
                    keywords: string[];
                    /** @default null */
                    notice: string | null;
                    /** @default null */
                    unassigned_alert_after_s: number | null;
                };
                /**
                 * @default {
                 *       "turns": 20,
                 *       "chars": 12000
                 *     }
                 */
                history: {
                    /** @default 12000 */
                    chars: number;
                    /** @default 20 */
                    turns: number;
                };
                /** @default {} */
                llm: {
                    /** Format: uri */
                    base_url?: string;
                    fallback_model?: string;
                    model?: string;
                    /** @enum {string} */
                    provider?: "openai" | "anthropic" | "google" | "openai-compatible";
                    temperature?: number;
                    vision?: boolean;
                };
                /** @default 90 */
                media_retention_days: number | null;
                /** @default 80 */
                rate_limit_per_second: number;
                /**
                 * @default {
                 *       "debounce_ms": 0,
                 *       "max_wait_ms": 10000
                 *     }
                 */
                turn: {
                    /** @default 0 */
                    debounce_ms: number;
                    /** @default 10000 */
                    max_wait_ms: number;
                };
                /** @default false */
                typing_indicator: boolean;
            };
            /** @enum {string} */
            status: "active" | "inactive";
            system_prompt: string;
            /** @description ISO 8601 */
            updated_at: string;
            usage_totals: components["schemas"]["UsageTotalsInput"];
            version: number;
            webhook_url: string;
            /** @description why Meta may not reach webhook_url (not HTTPS, localhost, a private address); empty when it looks public */
            webhook_url_warnings: string[];
            /** Format: uuid */
            workspace_id: string;
        };
        Conversation: {
            /** @description the workspace member (user id) the conversation is assigned to */
            assignee: string | null;
            bot_id: string;
            /**
             * @description who answers: the bot, or a person after a handoff
             * @enum {string}
             */
            control: "bot" | "human";
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            handed_off_at: string | null;
            handoff_reason: string | null;
            /** @description what the bot (or a person) left for the team member taking over */
            handoff_summary: string | null;
            /** Format: uuid */
            id: string;
            /** @description ISO 8601 */
            last_inbound_at: string | null;
            last_message: {
                /** @description ISO 8601 */
                created_at: string;
                /** @enum {string} */
                direction: "inbound" | "outbound";
                error_code: number | null;
                /** Format: uuid */
                id: string;
                status: string;
                text: string;
                type: string;
            } | null;
            /** @description ISO 8601 */
            last_message_at: string;
            /** @description ISO 8601 */
            last_operator_message_at: string | null;
            profile_name: string | null;
            /** @description when the bot takes the conversation back on its own (settings.handoff) */
            resume_at: string | null;
            usage_totals: components["schemas"]["UsageTotals"];
            user_id: string | null;
            user_key: string;
            wa_id: string | null;
            /** @description the 24-hour customer-service window */
            window: {
                /** @description when Meta refused a send with 131047 (window closed) after the last inbound message; the window shows closed */
                closed_by_meta_at: string | null;
                /** @description last inbound + 24 h */
                expires_at: string | null;
                open: boolean;
            };
        };
        ConversationInput: {
            /** @description the workspace member (user id) the conversation is assigned to */
            assignee: string | null;
            bot_id: string;
            /**
             * @description who answers: the bot, or a person after a handoff
             * @enum {string}
             */
            control: "bot" | "human";
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            handed_off_at: string | null;
            handoff_reason: string | null;
            /** @description what the bot (or a person) left for the team member taking over */
            handoff_summary: string | null;
            /** Format: uuid */
            id: string;
            /** @description ISO 8601 */
            last_inbound_at: string | null;
            last_message: {
                /** @description ISO 8601 */
                created_at: string;
                /** @enum {string} */
                direction: "inbound" | "outbound";
                error_code: number | null;
                /** Format: uuid */
                id: string;
                status: string;
                text: string;
                type: string;
            } | null;
            /** @description ISO 8601 */
            last_message_at: string;
            /** @description ISO 8601 */
            last_operator_message_at: string | null;
            profile_name: string | null;
            /** @description when the bot takes the conversation back on its own (settings.handoff) */
            resume_at: string | null;
            usage_totals: components["schemas"]["UsageTotalsInput"];
            user_id: string | null;
            user_key: string;
            wa_id: string | null;
            /** @description the 24-hour customer-service window */
            window: {
                /** @description when Meta refused a send with 131047 (window closed) after the last inbound message; the window shows closed */
                closed_by_meta_at: string | null;
                /** @description last inbound + 24 h */
                expires_at: string | null;
                open: boolean;
            };
        };
        CreatedApiKey: {
            /** @description ISO 8601 */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description the key, shown this once: send it as `Authorization: Bearer <key>` */
            key: string;
            name: string;
        };
        CreatedApiKeyInput: {
            /** @description ISO 8601 */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description the key, shown this once: send it as `Authorization: Bearer <key>` */
            key: string;
            name: string;
        };
        CreatedInvitation: {
            email: string;
            /** @description ISO 8601 */
            expires_at: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "admin" | "member";
            /** @description the invite link, shown this once: copy it to the person */
            url: string;
        };
        CreatedInvitationInput: {
            email: string;
            /** @description ISO 8601 */
            expires_at: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "admin" | "member";
            /** @description the invite link, shown this once: copy it to the person */
            url: string;
        };
        DeadLetter: {
            attempts_made: number;
            bot_id: string;
            /** @description the job's conversation (a template send's, or the conversation a drain job was draining) */
            conversation_id: string | null;
            /** @description ISO 8601 */
            created_at: string | null;
            /** @description ISO 8601 */
            failed_at: string | null;
            /** @description the last error */
            failed_reason: string | null;
            /** @description <queue>:<job_id> */
            id: string;
            /** @description the job's id in its queue; for webhook-events `<shard>:<BullMQ id>` (each shard numbers its own jobs) */
            job_id: string;
            max_attempts: number | null;
            /** @description the message it was about: the template send, or the oldest unanswered inbound message of the drain */
            message_id: string | null;
            name: string;
            /** @enum {string} */
            queue: "conversations" | "outbound" | "webhook-events";
            /** @description the stage-1 shard of a webhook-events job, else null */
            shard: number | null;
        };
        DeadLetterInput: {
            attempts_made: number;
            bot_id: string;
            /** @description the job's conversation (a template send's, or the conversation a drain job was draining) */
            conversation_id: string | null;
            /** @description ISO 8601 */
            created_at: string | null;
            /** @description ISO 8601 */
            failed_at: string | null;
            /** @description the last error */
            failed_reason: string | null;
            /** @description <queue>:<job_id> */
            id: string;
            /** @description the job's id in its queue; for webhook-events `<shard>:<BullMQ id>` (each shard numbers its own jobs) */
            job_id: string;
            max_attempts: number | null;
            /** @description the message it was about: the template send, or the oldest unanswered inbound message of the drain */
            message_id: string | null;
            name: string;
            /** @enum {string} */
            queue: "conversations" | "outbound" | "webhook-events";
            /** @description the stage-1 shard of a webhook-events job, else null */
            shard: number | null;
        };
        Error: {
            error: {
                code: string;
                details: {
                    [key: string]: unknown;
                };
                message: string;
            };
        };
        ErrorInput: {
            error: {
                code: string;
                details: {
                    [key: string]: unknown;
                };
                message: string;
            };
        };
        HttpTool: {
            bot_id: string;
            /** @description ISO 8601 */
            created_at: string;
            description: string;
            /** @description header name → set and a masked hint; never the value */
            headers: {
                [key: string]: components["schemas"]["SecretState"];
            };
            /** Format: uuid */
            id: string;
            max_response_bytes: number;
            /** @enum {string} */
            method: "GET" | "POST";
            name: string;
            parameters: {
                [key: string]: unknown;
            };
            timeout_ms: number;
            /** @description ISO 8601 */
            updated_at: string;
            url: string;
        };
        HttpToolInput: {
            bot_id: string;
            /** @description ISO 8601 */
            created_at: string;
            description: string;
            /** @description header name → set and a masked hint; never the value */
            headers: {
                [key: string]: components["schemas"]["SecretStateInput"];
            };
            /** Format: uuid */
            id: string;
            max_response_bytes: number;
            /** @enum {string} */
            method: "GET" | "POST";
            name: string;
            parameters: {
                [key: string]: unknown;
            };
            timeout_ms: number;
            /** @description ISO 8601 */
            updated_at: string;
            url: string;
        };
        Invitation: {
            /** @description ISO 8601 */
            created_at: string;
            email: string;
            /** @description ISO 8601 */
            expires_at: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "admin" | "member";
        };
        InvitationInput: {
            /** @description ISO 8601 */
            created_at: string;
            email: string;
            /** @description ISO 8601 */
            expires_at: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "admin" | "member";
        };
        LastError: {
            /** @description ISO 8601 */
            at: string;
            code: number | null;
            title: string;
        };
        LastErrorInput: {
            /** @description ISO 8601 */
            at: string;
            code: number | null;
            title: string;
        };
        Me: {
            /** @description email and name are null for a bearer-JWT caller without an account */
            user: {
                email: string | null;
                id: string;
                name: string | null;
            };
            workspaces: {
                /** Format: uuid */
                id: string;
                name: string;
                /** @enum {string} */
                role: "owner" | "admin" | "member";
            }[];
        };
        MeInput: {
            /** @description email and name are null for a bearer-JWT caller without an account */
            user: {
                email: string | null;
                id: string;
                name: string | null;
            };
            workspaces: {
                /** Format: uuid */
                id: string;
                name: string;
                /** @enum {string} */
                role: "owner" | "admin" | "member";
            }[];
        };
        Message: {
            /** @description an action part of a reply (buttons, list, cta_url, media, location_request, reaction, handoff) as sent; null otherwise */
            action: ({
                body: string;
                buttons: {
                    id: string;
                    title: string;
                }[];
                /** @enum {string} */
                kind: "buttons";
            } | {
                body: string;
                button: string;
                /** @enum {string} */
                kind: "list";
                sections: {
                    rows: {
                        description?: string;
                        id: string;
                        title: string;
                    }[];
                    title: string;
                }[];
            } | {
                body: string;
                display_text: string;
                /** @enum {string} */
                kind: "cta_url";
                /** Format: uri */
                url: string;
            } | {
                caption?: string;
                filename?: string;
                /** @enum {string} */
                kind: "media";
                /** @enum {string} */
                type: "image" | "document" | "audio" | "video";
                /** Format: uri */
                url: string;
            } | {
                body: string;
                /** @enum {string} */
                kind: "location_request";
            } | {
                emoji: string;
                /** @enum {string} */
                kind: "reaction";
            } | {
                /** @enum {string} */
                kind: "handoff";
                reason: string;
                summary: string;
            }) | null;
            /** @description attempts made so far (sends, or engine calls of an inbound message) */
            attempts: number;
            /**
             * @description who wrote it: the user, the bot, an operator (API), or the business from the WhatsApp Business app
             * @enum {string}
             */
            author: "user" | "bot" | "operator" | "business_app";
            /** @description the operator's user id (author operator) */
            author_user_id: string | null;
            bot_id: string;
            /** Format: uuid */
            conversation_id: string;
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            delivered_at: string | null;
            /** @enum {string} */
            direction: "inbound" | "outbound";
            /** @description the business edited it in the WhatsApp Business app (the text is the edit) */
            edited_at: string | null;
            error_code: number | null;
            error_details: string | null;
            error_title: string | null;
            /** @description ISO 8601 */
            failed_at: string | null;
            /** @description ISO 8601 */
            handled_at: string | null;
            /** Format: uuid */
            id: string;
            /** @description imported from a coexistence `history` webhook (an archive of the chat before onboarding): never answered */
            imported_at: string | null;
            /** @description the last failure while the message was retried; a message past its retry budget is `failed` */
            last_error: components["schemas"]["LastError"] | null;
            media: components["schemas"]["MessageMedia"];
            /** @description Meta's wamid */
            meta_message_id: string | null;
            /** @description inbound: when the user sent it (Meta's timestamp) */
            meta_timestamp: string | null;
            /** @description attachments, context, template, action, ... */
            metadata: unknown;
            part_count: number | null;
            part_index: number | null;
            /** @description ISO 8601 */
            read_at: string | null;
            /** Format: uuid */
            reply_to_id: string | null;
            /** @description the business deleted it in the WhatsApp Business app */
            revoked_at: string | null;
            /** @description ISO 8601 */
            sent_at: string | null;
            /** @enum {string} */
            status: "received" | "processing" | "handled" | "pending" | "sent" | "delivered" | "read" | "failed";
            /** @description normalized text */
            text: string;
            type: string;
            /** @description ISO 8601 */
            updated_at: string;
            /** @description outbound: the token usage of the engine turn that produced it (the same on each of the turn's parts) */
            usage: {
                cached_input_tokens?: number;
                input_tokens: number;
                model: string;
                output_tokens: number;
                provider: string;
            } | null;
        };
        MessageInput: {
            /** @description an action part of a reply (buttons, list, cta_url, media, location_request, reaction, handoff) as sent; null otherwise */
            action: ({
                body: string;
                buttons: {
                    id: string;
                    title: string;
                }[];
                /** @enum {string} */
                kind: "buttons";
            } | {
                body: string;
                button: string;
                /** @enum {string} */
                kind: "list";
                sections: {
                    rows: {
                        description?: string;
                        id: string;
                        title: string;
                    }[];
                    title: string;
                }[];
            } | {
                body: string;
                display_text: string;
                /** @enum {string} */
                kind: "cta_url";
                /** Format: uri */
                url: string;
            } | {
                caption?: string;
                filename?: string;
                /** @enum {string} */
                kind: "media";
                /** @enum {string} */
                type: "image" | "document" | "audio" | "video";
                /** Format: uri */
                url: string;
            } | {
                body: string;
                /** @enum {string} */
                kind: "location_request";
            } | {
                emoji: string;
                /** @enum {string} */
                kind: "reaction";
            } | {
                /** @enum {string} */
                kind: "handoff";
                reason: string;
                summary: string;
            }) | null;
            /** @description attempts made so far (sends, or engine calls of an inbound message) */
            attempts: number;
            /**
             * @description who wrote it: the user, the bot, an operator (API), or the business from the WhatsApp Business app
             * @enum {string}
             */
            author: "user" | "bot" | "operator" | "business_app";
            /** @description the operator's user id (author operator) */
            author_user_id: string | null;
            bot_id: string;
            /** Format: uuid */
            conversation_id: string;
            /** @description ISO 8601 */
            created_at: string;
            /** @description ISO 8601 */
            delivered_at: string | null;
            /** @enum {string} */
            direction: "inbound" | "outbound";
            /** @description the business edited it in the WhatsApp Business app (the text is the edit) */
            edited_at: string | null;
            error_code: number | null;
            error_details: string | null;
            error_title: string | null;
            /** @description ISO 8601 */
            failed_at: string | null;
            /** @description ISO 8601 */
            handled_at: string | null;
            /** Format: uuid */
            id: string;
            /** @description imported from a coexistence `history` webhook (an archive of the chat before onboarding): never answered */
            imported_at: string | null;
            /** @description the last failure while the message was retried; a message past its retry budget is `failed` */
            last_error: components["schemas"]["LastErrorInput"] | null;
            media: components["schemas"]["MessageMediaInput"];
            /** @description Meta's wamid */
            meta_message_id: string | null;
            /** @description inbound: when the user sent it (Meta's timestamp) */
            meta_timestamp: string | null;
            /** @description attachments, context, template, action, ... */
            metadata: unknown;
            part_count: number | null;
            part_index: number | null;
            /** @description ISO 8601 */
            read_at: string | null;
            /** Format: uuid */
            reply_to_id: string | null;
            /** @description the business deleted it in the WhatsApp Business app */
            revoked_at: string | null;
            /** @description ISO 8601 */
            sent_at: string | null;
            /** @enum {string} */
            status: "received" | "processing" | "handled" | "pending" | "sent" | "delivered" | "read" | "failed";
            /** @description normalized text */
            text: string;
            type: string;
            /** @description ISO 8601 */
            updated_at: string;
            /** @description outbound: the token usage of the engine turn that produced it (the same on each of the turn's parts) */
            usage: {
                cached_input_tokens?: number;
                input_tokens: number;
                model: string;
                output_tokens: number;
                provider: string;
            } | null;
        };
        /** @description inbound media messages: the file and what was understood of it; null otherwise */
        MessageMedia: {
            caption: string | null;
            /** @description when retention removed the file (settings.media_retention_days) */
            deleted_at: string | null;
            /** @description a describer's text (the labelled offline stand-in) */
            description: string | null;
            /** @description why the fetch failed (the engine got the placeholder) */
            error: string | null;
            /**
             * @description pending (not fetched yet), stored, failed (see error), deleted (removed by retention)
             * @enum {string}
             */
            fetch_status: "pending" | "stored" | "failed" | "deleted";
            /** @description ISO 8601 */
            fetched_at: string | null;
            /** @description bytes, once stored */
            file_size: number | null;
            filename: string | null;
            /** @description image, document, audio, video or sticker */
            kind: string;
            /** @description Meta's media id */
            media_id: string | null;
            mime_type: string | null;
            /** @description hex, checked against Meta's */
            sha256: string | null;
            /** @description speech to text of a voice note (STT_*) */
            transcript: string | null;
            /** @description why transcription or image input failed */
            understanding_error: string | null;
            /** @description GET this (authenticated) for the file, while it is stored */
            url: string | null;
            /** @description audio: a voice note */
            voice: boolean | null;
        } | null;
        /** @description inbound media messages: the file and what was understood of it; null otherwise */
        MessageMediaInput: {
            caption: string | null;
            /** @description when retention removed the file (settings.media_retention_days) */
            deleted_at: string | null;
            /** @description a describer's text (the labelled offline stand-in) */
            description: string | null;
            /** @description why the fetch failed (the engine got the placeholder) */
            error: string | null;
            /**
             * @description pending (not fetched yet), stored, failed (see error), deleted (removed by retention)
             * @enum {string}
             */
            fetch_status: "pending" | "stored" | "failed" | "deleted";
            /** @description ISO 8601 */
            fetched_at: string | null;
            /** @description bytes, once stored */
            file_size: number | null;
            filename: string | null;
            /** @description image, document, audio, video or sticker */
            kind: string;
            /** @description Meta's media id */
            media_id: string | null;
            mime_type: string | null;
            /** @description hex, checked against Meta's */
            sha256: string | null;
            /** @description speech to text of a voice note (STT_*) */
            transcript: string | null;
            /** @description why transcription or image input failed */
            understanding_error: string | null;
            /** @description GET this (authenticated) for the file, while it is stored */
            url: string | null;
            /** @description audio: a voice note */
            voice: boolean | null;
        } | null;
        PublicInvitation: {
            email: string;
            /** @enum {string} */
            role: "admin" | "member";
            workspace_name: string;
        };
        PublicInvitationInput: {
            email: string;
            /** @enum {string} */
            role: "admin" | "member";
            workspace_name: string;
        };
        /** @description any JSON value (a JSON Schema document here) */
        schema0: unknown;
        SecretState: {
            /** @description e.g. EAAB…x9Q; never the value */
            hint: string | null;
            set: boolean;
        };
        SecretStateInput: {
            /** @description e.g. EAAB…x9Q; never the value */
            hint: string | null;
            set: boolean;
        };
        ToolCall: {
            arguments_bytes: number;
            /** @description ISO 8601 */
            at: string;
            bot_id: string;
            duration_ms: number;
            /** @description what the model was told went wrong */
            error: string | null;
            http_status: number | null;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "ok" | "http_error" | "invalid_arguments" | "blocked" | "timeout" | "network_error" | "too_many_redirects" | "unavailable";
            /** @description the tool name called */
            tool: string;
            /**
             * Format: uuid
             * @description null once the tool was deleted
             */
            tool_id: string | null;
            /**
             * Format: uuid
             * @description the turn's last inbound message
             */
            turn_id: string;
        };
        ToolCallInput: {
            arguments_bytes: number;
            /** @description ISO 8601 */
            at: string;
            bot_id: string;
            duration_ms: number;
            /** @description what the model was told went wrong */
            error: string | null;
            http_status: number | null;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "ok" | "http_error" | "invalid_arguments" | "blocked" | "timeout" | "network_error" | "too_many_redirects" | "unavailable";
            /** @description the tool name called */
            tool: string;
            /**
             * Format: uuid
             * @description null once the tool was deleted
             */
            tool_id: string | null;
            /**
             * Format: uuid
             * @description the turn's last inbound message
             */
            turn_id: string;
        };
        UsageTotals: {
            input_tokens: number;
            output_tokens: number;
            /** @description engine turns that reported usage */
            turns: number;
        };
        UsageTotalsInput: {
            input_tokens: number;
            output_tokens: number;
            /** @description engine turns that reported usage */
            turns: number;
        };
        User: {
            email: string;
            id: string;
            name: string;
        };
        UserInput: {
            email: string;
            id: string;
            name: string;
        };
        Workspace: {
            /** @description ISO 8601 */
            created_at: string;
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * @description the caller's role
             * @enum {string}
             */
            role: "owner" | "admin" | "member";
        };
        WorkspaceInput: {
            /** @description ISO 8601 */
            created_at: string;
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * @description the caller's role
             * @enum {string}
             */
            role: "owner" | "admin" | "member";
        };
        WorkspaceMember: {
            /** @description null for a member known only by a JWT `sub` */
            email: string | null;
            name: string | null;
            /** @enum {string} */
            role: "owner" | "admin" | "member";
            user_id: string;
        };
        WorkspaceMemberInput: {
            /** @description null for a member known only by a JWT `sub` */
            email: string | null;
            name: string | null;
            /** @enum {string} */
            role: "owner" | "admin" | "member";
            user_id: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
