# Asks a Vulkan loader for its instance extensions and physical devices: says whether an ICD loads.
import ctypes, sys
vk = ctypes.CDLL(sys.argv[1])
n = ctypes.c_uint32(0)
r = vk.vkEnumerateInstanceExtensionProperties(None, ctypes.byref(n), None)
class Ext(ctypes.Structure): _fields_ = [('name', ctypes.c_char * 256), ('ver', ctypes.c_uint32)]
arr = (Ext * max(n.value, 1))()
vk.vkEnumerateInstanceExtensionProperties(None, ctypes.byref(n), arr)
print('vk result', r, 'instance extensions:', [arr[i].name.decode() for i in range(n.value)])
