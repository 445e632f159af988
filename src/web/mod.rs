//! The people's pages, served at `/` beside the API.

pub mod board;
pub mod cases;
pub mod review;
