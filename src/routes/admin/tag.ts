/** The OpenAPI tag the admin routes are listed under. */
export const ADMIN_TAG = 'personsd admin';
