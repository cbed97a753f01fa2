//! Account types and the protocol's rules as plain methods on them.
//! Nothing here knows about account infos or CPIs: every rule is unit-tested on the host.
pub mod config;
pub mod costaker;
pub mod device;
pub mod math;
pub mod offer;
pub mod ticket;

pub use config::*;
pub use costaker::*;
pub use device::*;
pub use math::*;
pub use offer::*;
pub use ticket::*;
