print("patchlog")
