//! What AWS EC2 needs beyond the signer: the EC2 Query request encoding,
//! the XML answers and errors, and the regional endpoint.

pub mod credentials;
pub mod ec2;
pub mod endpoint;
pub mod errors;
pub mod query;
pub mod requests;
pub mod xml;
