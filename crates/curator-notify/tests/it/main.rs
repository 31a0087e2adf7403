//! curator-notify against local stand-ins: wiremock for the HTTP
//! receivers, a small SMTP server written here for e-mail.

mod http;
mod smtp;
