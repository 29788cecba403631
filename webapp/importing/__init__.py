"""Reading parcel files and preparing them for the store: nothing is written until all passes."""
