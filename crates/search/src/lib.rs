//! The search contract shared by the native index writer and the WebAssembly reader.
