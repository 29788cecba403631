"""The enquiry routes (placeholder: the enquiries helper writes them)."""
