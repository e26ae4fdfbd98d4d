// Credit lines the databases' licences ask for, printed in docs and the replay summary.

/** DB-IP City Lite is CC BY 4.0 and asks for "IP Geolocation by DB-IP" with a link to db-ip.com. */
export const DBIP_ATTRIBUTION = 'IP Geolocation by DB-IP (https://db-ip.com), licensed under CC BY 4.0';

/** The credit MaxMind's GeoLite2 end user licence requires. */
export const GEOLITE2_ATTRIBUTION = 'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com.';
