pub use device_staking;
